import { get, me, logout } from './api.js';
import { h } from './dom.js';
import { fmt, day, ago } from './format.js';

const NAV = [
  ['index.html', 'Overview'],
  ['products.html', 'Products'],
  ['sources.html', 'Sources & tech'],
  ['lists.html', 'List positions'],
  ['realtime.html', 'Realtime']
];

// The filters live in the URL (site, from, to), so every page and link keeps them and a view can be bookmarked.
export async function shell(page, title) {
  const meta = await get('/v1/stats/meta');
  const q = new URLSearchParams(location.search);
  const site = meta.sites.some((s) => s.id === q.get('site')) ? q.get('site') : meta.sites[0]?.id;
  const today = meta.sites.find((s) => s.id === site)?.today || day.iso(new Date());
  const to = /^\d{4}-\d{2}-\d{2}$/.test(q.get('to') || '') ? q.get('to') : today;
  const from = /^\d{4}-\d{2}-\d{2}$/.test(q.get('from') || '') ? q.get('from') : day.add(to, -6);
  const filters = { site, from, to };
  const keep = (href) => href + '?' + new URLSearchParams(filters);

  const nav = h('nav', { 'aria-label': 'Dashboard pages' },
    h('ul', null, NAV.map(([href, label]) =>
      h('li', null, h('a', { href: keep(href), 'aria-current': page === href ? 'page' : null }, label)))));

  const siteSelect = h('select', { id: 'f-site', name: 'site' },
    meta.sites.map((s) => h('option', { value: s.id, selected: s.id === site }, s.id)));
  const form = h('form', { class: 'filters', method: 'get', 'aria-label': 'Filters' },
    page === 'product.html' ? h('input', { type: 'hidden', name: 'id', value: q.get('id') || '' }) : null,
    h('label', { for: 'f-site' }, 'Site'), siteSelect,
    h('label', { for: 'f-from' }, 'From'), h('input', { id: 'f-from', name: 'from', type: 'date', value: from, max: today, required: true }),
    h('label', { for: 'f-to' }, 'To'), h('input', { id: 'f-to', name: 'to', type: 'date', value: to, max: today, required: true }),
    h('button', { type: 'submit' }, 'Apply'),
    h('span', { class: 'presets', role: 'group', 'aria-label': 'Quick ranges' },
      [['7 days', 6], ['30 days', 29], ['90 days', 89]].map(([label, n]) =>
        h('button', {
          type: 'button', class: 'ghost', onclick: () => {
            form.elements.to.value = today;
            form.elements.from.value = day.add(today, -n);
            form.requestSubmit();
          }
        }, label))));

  const status = h('p', { class: 'status', id: 'status', 'aria-live': 'polite' });
  const user = h('span', { class: 'user' });
  document.body.replaceChildren(
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: keep('index.html') }, 'Shop analytics'), nav, user),
    h('div', { class: 'bar' }, form, status),
    h('main', { id: 'main', tabindex: '-1' }, h('h1', null, title)));

  me().then((who) => {
    if (!who) return;
    // Exports need the analyst or privacy-admin role (policy Export): a merchandiser does not see the links.
    document.body.dataset.role = who.role;
    user.append(h('span', null, `${who.name} (${who.role.replace('_', ' ')})`), ' ',
      h('button', { type: 'button', class: 'ghost', onclick: logout }, 'Sign out'));
  });
  refreshStatus(status, site);
  return { meta, filters, keep, k: meta.min_visitors, main: document.getElementById('main') };
}

// Freshness (newest stored event) and what the collector in this process did not keep.
async function refreshStatus(el, site) {
  try {
    const [fresh, dropped] = await Promise.all([
      get('/v1/stats/freshness', { site }),
      get('/v1/stats/dropped').catch(() => null)
    ]);
    const parts = [h('span', { 'data-status': 'freshness', title: fresh.newest_event || '' },
      `Newest event: ${fresh.newest_event ? ago(fresh.age_seconds) : 'none yet'}`)];
    if (dropped?.collector_in_process) {
      parts.push(' · ', h('span', { 'data-status': 'dropped', title: `Counted in this process since ${dropped.since}` },
        `Not kept since ${dropped.since.slice(0, 16).replace('T', ' ')} UTC: ${fmt.int(dropped.consent_dropped)} consent (GPC/DNT), ` +
        `${fmt.int(dropped.rejected)} invalid, ${fmt.int(dropped.refused_batches + dropped.backpressure_batches)} batches refused`));
    }
    el.replaceChildren(...parts);
  } catch {
    el.textContent = 'Freshness unknown.';
  }
}

export function section(parent, title, ...children) {
  const id = 's-' + title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const s = h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
  parent.append(s);
  return s;
}

export function kpis(items) {
  return h('dl', { class: 'kpis' }, items.map(([key, label, value]) =>
    h('div', { class: 'kpi' }, h('dt', null, label), h('dd', { 'data-kpi': key }, value))));
}

export function suppressionNote(k) {
  return h('p', { class: 'note' }, `Rows with fewer than ${k} visitors are hidden (small-cell suppression).`);
}

export function exportLink(name, filters, extra) {
  const params = new URLSearchParams({ ...filters, ...(extra || {}) });
  return h('a', { class: 'export', href: `/v1/stats/export/${name}?${params}`, download: '' }, `Export CSV`);
}

// columns: [key, label, {num, format, cell(row)}]
export function table(name, caption, columns, rows, ctx, extra) {
  const head = h('tr', null, columns.map(([key, label, o]) => h('th', { scope: 'col', class: o?.num ? 'num' : null, 'data-key': key }, label)));
  const body = rows.length
    ? rows.map((r) => h('tr', null, columns.map(([key, , o], i) => {
      const content = o?.cell ? o.cell(r) : (o?.format || fmt.text)(r[key]);
      return i === 0 ? h('th', { scope: 'row' }, content) : h('td', { class: o?.num ? 'num' : null }, content);
    })))
    : [h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, 'No rows for this range (or every row is under the suppression threshold).'))];
  return h('div', { class: 'table-block' },
    h('div', { class: 'table-tools' }, exportLink(name, ctx.filters, extra)),
    h('div', { class: 'scroll' }, h('table', { 'data-table': name }, h('caption', null, caption), h('thead', null, head), h('tbody', null, body))),
    suppressionNote(ctx.k));
}

export function failure(parent, err) {
  parent.append(h('p', { class: 'error', role: 'alert' }, 'Could not load: ' + err.message));
}
