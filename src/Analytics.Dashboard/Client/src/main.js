// The dashboard's pages. Each HTML page names itself in <body data-page>; everything on it comes from /v1/stats.
import './dashboard.css';
import { get } from './api.js';
import { h, sparkline } from './dom.js';
import { fmt, day } from './format.js';
import { dayChart } from './chart.js';
import { shell, section, kpis, table, failure, exportLink } from './ui.js';

const pages = {
  'index.html': ['Overview', overview],
  'products.html': ['Products', products],
  'product.html': ['Product', product],
  'sources.html': ['Sources & technology', sources],
  'lists.html': ['List positions', lists],
  'realtime.html': ['Realtime', realtime]
};

const range = (ctx, extra) => ({ ...ctx.filters, ...(extra || {}) });
const productLink = (ctx, r) => h('a', { href: ctx.keep('product.html') + '&id=' + encodeURIComponent(r.product_id) }, r.name || r.product_id);

async function overview(ctx) {
  const { main, k } = ctx;
  const [summary, series, pagesRows, productRows, engagement] = await Promise.all([
    get('/v1/stats/summary', range(ctx)),
    get('/v1/stats/timeseries', range(ctx)),
    get('/v1/stats/pages', range(ctx, { limit: 10 })),
    get('/v1/stats/products', range(ctx, { limit: 10 })),
    get('/v1/stats/engagement', range(ctx, { limit: 10 }))
  ]);
  section(main, 'Totals',
    kpis([
      ['visitors', 'Visitors', fmt.int(summary.visitors)],
      ['page_views', 'Page views', fmt.int(summary.page_views)],
      ['product_views', 'Product views', fmt.int(summary.product_views)]
    ]),
    summary.suppressed ? h('p', { class: 'note' }, `Hidden: fewer than ${k} visitors in this range.`) : null);
  const chart = h('div', { class: 'chart' });
  section(main, 'Trend', chart,
    table('timeseries', 'Per day', [
      ['day', 'Day'], ['visitors', 'Visitors', { num: 1, format: fmt.int }],
      ['page_views', 'Page views', { num: 1, format: fmt.int }], ['product_views', 'Product views', { num: 1, format: fmt.int }]
    ], series.slice().reverse(), ctx));
  dayChart(chart, {
    from: ctx.filters.from, to: ctx.filters.to, rows: series, title: 'Visitors and views per day',
    series: [{ key: 'visitors', label: 'Visitors' }, { key: 'page_views', label: 'Page views' }, { key: 'product_views', label: 'Product views' }]
  });
  const grid = h('div', { class: 'grid2' });
  main.append(grid);
  section(grid, 'Top pages', table('pages', 'Pages by views', [
    ['path', 'Page'], ['views', 'Views', { num: 1, format: fmt.int }], ['visitors', 'Visitors', { num: 1, format: fmt.int }]
  ], pagesRows, ctx));
  section(grid, 'Top products', table('products', 'Products by views', [
    ['name', 'Product', { cell: (r) => productLink(ctx, r) }], ['views', 'Views', { num: 1, format: fmt.int }],
    ['visitors', 'Visitors', { num: 1, format: fmt.int }]
  ], productRows, ctx), h('p', null, h('a', { href: ctx.keep('products.html') }, 'All products and trends')));
  section(main, 'Engagement', table('engagement', 'Time on page and scroll depth, from reports sent when a page is left', [
    ['path', 'Page'], ['engagements', 'Reports', { num: 1, format: fmt.int }],
    ['avg_visible_s', 'Avg. visible (s)', { num: 1, format: fmt.dec }], ['avg_scroll_pct', 'Avg. scroll (%)', { num: 1, format: fmt.dec }],
    ['visitors', 'Visitors', { num: 1, format: fmt.int }]
  ], engagement, ctx));
}

// Trend of a product: views in the second half of the range against the first half (suppressed days count as 0 here,
// so the arrow is a hint; the sparkline shows the gaps).
function trend(values) {
  const half = Math.floor(values.length / 2);
  const sum = (a) => a.reduce((s, v) => s + (v || 0), 0);
  const before = sum(values.slice(0, half));
  const after = sum(values.slice(values.length - half));
  if (!half || (!before && !after)) return '–';
  if (!before) return 'new';
  const change = (after - before) / before;
  return (change > 0.005 ? '↑ ' : change < -0.005 ? '↓ ' : '→ ') + fmt.pct(Math.abs(change));
}

async function products(ctx) {
  const { main, filters } = ctx;
  const [rows, days] = await Promise.all([
    get('/v1/stats/products', range(ctx, { limit: 100 })),
    get('/v1/stats/product-trends', range(ctx, { limit: 100 }))
  ]);
  const axis = day.range(filters.from, filters.to);
  const byProduct = new Map();
  for (const d of days) {
    if (!byProduct.has(d.product_id)) byProduct.set(d.product_id, new Map());
    byProduct.get(d.product_id).set(d.day, d.views);
  }
  const series = (id) => axis.map((d) => byProduct.get(id)?.get(d) ?? null);
  section(main, 'Most viewed products', table('products', 'Products by views; the trend compares the second half of the range with the first', [
    ['name', 'Product', { cell: (r) => productLink(ctx, r) }],
    ['category', 'Category'],
    ['views', 'Views', { num: 1, format: fmt.int }],
    ['visitors', 'Visitors', { num: 1, format: fmt.int }],
    ['trend', 'Trend', { cell: (r) => trend(series(r.product_id)) }],
    ['spark', 'Views per day', { cell: (r) => sparkline(series(r.product_id), `Views per day of ${r.name || r.product_id}`) }]
  ], rows, ctx), h('p', null, exportLink('product-trends', filters), ' (views per product and day)'));
}

async function product(ctx) {
  const { main, filters, k } = ctx;
  const id = new URLSearchParams(location.search).get('id') || '';
  if (!id) {
    main.append(h('p', null, 'Choose a product on the ', h('a', { href: ctx.keep('products.html') }, 'products page'), '.'));
    return;
  }
  const [p, days, together] = await Promise.all([
    get('/v1/stats/product', range(ctx, { product_id: id })),
    get('/v1/stats/product-trends', range(ctx, { product_id: id, limit: 1 })),
    get('/v1/stats/viewed-together', range(ctx, { product_id: id, limit: 20 }))
  ]);
  main.querySelector('h1').textContent = p.name ? `${p.name}` : `Product ${id}`;
  document.title = `${p.name || id} — Shop analytics`;
  section(main, 'Totals',
    h('p', { class: 'sub' }, [p.category, id].filter(Boolean).join(' · ')),
    kpis([['views', 'Views', fmt.int(p.views)], ['visitors', 'Visitors', fmt.int(p.visitors)]]),
    p.suppressed ? h('p', { class: 'note' }, `Hidden: fewer than ${k} visitors viewed this product in this range.`) : null);
  const chart = h('div', { class: 'chart' });
  section(main, 'Views per day', chart);
  dayChart(chart, { from: filters.from, to: filters.to, rows: days, title: 'Views per day', series: [{ key: 'views', label: 'Views' }, { key: 'visitors', label: 'Visitors' }] });
  section(main, 'Viewed together',
    h('p', null, 'Other products viewed on the same day by the visitors who viewed this one (from the last 30 days of events).'),
    table('viewed-together', 'Viewed together, by visitors', [
      ['name', 'Product', { cell: (r) => productLink(ctx, r) }], ['category', 'Category'],
      ['visitors', 'Visitors', { num: 1, format: fmt.int }], ['views', 'Views', { num: 1, format: fmt.int }]
    ], together, ctx, { product_id: id }));
}

async function sources(ctx) {
  const { main } = ctx;
  const names = ['referrers', 'browsers', 'os', 'devices', 'countries'];
  const [referrers, browsers, os, devices, countries] = await Promise.all(names.map((n) => get('/v1/stats/' + n, range(ctx, { limit: 50 }))));
  const unknown = (v) => (v ? v : '(unknown)');
  const cols = (label, format) => [['value', label, { format }], ['visitors', 'Visitors', { num: 1, format: fmt.int }], ['page_views', 'Page views', { num: 1, format: fmt.int }]];
  section(main, 'Referrers', table('referrers', 'Where visits came from (host only; internal navigation shows your own host)', [
    ['referrer_host', 'Referrer', { format: (v) => (v ? v : '(direct)') }], ['visitors', 'Visitors', { num: 1, format: fmt.int }],
    ['page_views', 'Page views', { num: 1, format: fmt.int }]
  ], referrers, ctx));
  const grid = h('div', { class: 'grid2' });
  main.append(grid);
  section(grid, 'Devices', table('devices', 'Device class', cols('Device', unknown), devices, ctx));
  section(grid, 'Browsers', table('browsers', 'Browser family', cols('Browser', unknown), browsers, ctx));
  section(grid, 'Operating systems', table('os', 'Operating system', cols('OS', unknown), os, ctx));
  section(grid, 'Countries', table('countries', 'Country (from the IP, before it was dropped)', cols('Country', unknown), countries, ctx));
}

async function lists(ctx) {
  const { main } = ctx;
  const rows = await get('/v1/stats/list-positions', range(ctx));
  const max = Math.max(0.0001, ...rows.map((r) => r.ctr));
  section(main, 'Click-through by list position',
    h('p', null, 'An impression is a listed product at least half visible; click-through is clicks divided by impressions.'),
    table('list-positions', 'Impressions and clicks per list and position', [
      ['list_name', 'List'], ['list_position', 'Position', { num: 1 }],
      ['impressions', 'Impressions', { num: 1, format: fmt.int }], ['clicks', 'Clicks', { num: 1, format: fmt.int }],
      ['ctr', 'Click-through', { cell: (r) => h('span', { class: 'ctr' }, h('span', { class: 'ctr-bar', style: `width:${Math.round((r.ctr / max) * 60)}px`, 'aria-hidden': 'true' }), fmt.pct(r.ctr)) }],
      ['visitors', 'Visitors', { num: 1, format: fmt.int }]
    ], rows, ctx));
}

async function realtime(ctx) {
  const { main, k } = ctx;
  const box = h('div');
  const stamp = h('p', { class: 'sub', 'aria-live': 'polite' });
  let timer = 0;
  const toggle = h('button', { type: 'button', 'aria-pressed': 'true', onclick: () => setAuto(toggle.getAttribute('aria-pressed') !== 'true') }, 'Auto-refresh every 15 s');
  const setAuto = (on) => {
    toggle.setAttribute('aria-pressed', String(on));
    clearInterval(timer);
    if (on) timer = setInterval(load, 15000);
  };
  section(main, 'Last minutes', stamp, h('p', null, toggle, ' ', h('button', { type: 'button', class: 'ghost', onclick: () => load() }, 'Refresh now')), box);
  async function load() {
    const rt = await get('/v1/stats/realtime', { site: ctx.filters.site });
    stamp.textContent = `Events since ${rt.since.replace('T', ' ').replace('Z', ' UTC')} (the last ${rt.window_minutes} minutes), by event time.`;
    box.replaceChildren(
      kpis([['rt_visitors', 'Visitors', fmt.int(rt.visitors)], ['rt_page_views', 'Page views', fmt.int(rt.page_views)], ['rt_product_views', 'Product views', fmt.int(rt.product_views)]]),
      rt.suppressed ? h('p', { class: 'note' }, `Hidden: fewer than ${k} visitors in the last ${rt.window_minutes} minutes.`) : '',
      table('realtime-pages', 'Pages viewed in the last minutes', [
        ['path', 'Page'], ['views', 'Views', { num: 1, format: fmt.int }], ['visitors', 'Visitors', { num: 1, format: fmt.int }]
      ], rt.pages, ctx));
  }
  await load();
  setAuto(true);
}

async function start() {
  const page = document.body.dataset.page;
  const [title, render] = pages[page] || pages['index.html'];
  let ctx;
  try {
    ctx = await shell(page, title);
  } catch (err) {
    if (err.status !== 401) document.body.append(h('p', { class: 'error', role: 'alert' }, 'Could not load the dashboard: ' + err.message));
    return;
  }
  document.title = `${title} — Shop analytics`;
  try {
    await render(ctx);
  } catch (err) {
    if (err.status !== 401) failure(ctx.main, err);
  }
  document.body.dataset.ready = 'true';
}

start();
