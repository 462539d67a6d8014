'use strict';
// Behaviour of the storefront beacon, run against the readable source and the committed minified build alike.
//   node --test tests/beacon/

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { load, h, FILES, START } = require('./harness');

// Objects made inside the page's realm have its Object.prototype; compare their JSON.
const plain = (x) => JSON.parse(JSON.stringify(x));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const productPage = () => [
  h('main', { 'data-product': '', 'data-product-id': 'SKU-42', 'data-product-name': 'Rose Serum',
    'data-product-category': 'Skincare/Serums', 'data-product-price': '24.90', 'data-product-currency': 'EUR' },
  h('h1', {}))
];

const listPage = () => {
  const items = [1, 2, 3].map((p) =>
    h('li', { 'data-list-item': '', 'data-product-id': `SKU-${p}`, 'data-position': p }, h('a', { href: `/p${p}` }, h('img', {}))));
  const other = h('li', { 'data-list-item': '', 'data-product-id': 'SKU-9', 'data-position': 1 });
  return {
    items,
    other,
    body: [h('ul', { 'data-list': 'bestsellers' }, items), h('ul', { 'data-list': 'new_in' }, other)]
  };
};

// A scenario touching every feature; the privacy tests run it and expect silence.
async function everything(env) {
  await env.advance(500);
  env.analytics.productView({ id: 'SKU-1', name: 'x', price: 1, currency: 'EUR' });
  for (const io of env.observers) for (const el of io.targets) env.intersect(el, 1);
  const item = env.document.querySelector('[data-list-item]');
  if (item) env.click(item.children[0] || item);
  env.scrollTo(1000);
  env.pushState('/spa/next');
  await env.advance(3000);
  env.hide();
  env.show();
  await env.advance(1000);
  env.pagehide();
  env.analytics.flush();
  await env.advance(60_000);
}

for (const [variant, file] of Object.entries(FILES)) {
  describe(`beacon (${variant})`, () => {
    it('sends a page_view on load with every contract field, batched after about 2 s', async () => {
      const env = load(file, { url: 'https://shop.example/products/rose?x=1', title: 'Rose Serum – Demo Beauty' });
      await env.advance(1999);
      assert.equal(env.sent.length, 0, 'nothing before the flush interval');
      await env.advance(1);
      assert.equal(env.sent.length, 1);
      const [batch] = env.batches();
      assert.equal(batch.via, 'sendBeacon');
      assert.equal(batch.url, 'https://shop.example/v1/events');
      assert.match(batch.contentType, /^text\/plain/);
      assert.equal(batch.payload.site, 'demo');
      assert.equal(batch.payload.events.length, 1);
      const [e] = batch.payload.events;
      assert.deepEqual(Object.keys(e), ['type', 'id', 'ts', 'url', 'referrer', 'title', 'screen', 'lang']);
      assert.equal(e.type, 'page_view');
      assert.match(e.id, UUID);
      assert.equal(e.ts, START);
      assert.equal(e.url, 'https://shop.example/products/rose?x=1');
      assert.equal(e.referrer, 'https://search.example/?q=serum');
      assert.equal(e.title, 'Rose Serum – Demo Beauty');
      assert.equal(e.screen, '1440x900');
      assert.equal(e.lang, 'de-DE');
    });

    it('derives the endpoint from data-endpoint (page-relative) or else from the script origin', async () => {
      const custom = load(file, { script: { src: 'https://cdn.example/beacon.js', 'data-site': 'demo', 'data-endpoint': '/collect/v1/events' } });
      await custom.advance(2000);
      assert.equal(custom.sent[0].url, 'https://shop.example/collect/v1/events');

      const other = load(file, { script: { src: 'https://stats.example/beacon.js', 'data-site': 'demo' } });
      await other.advance(2000);
      assert.equal(other.sent[0].url, 'https://stats.example/v1/events');
    });

    it('uses a v4 UUID from getRandomValues when randomUUID is missing (plain-http pages)', async () => {
      const env = load(file, { randomUUID: false });
      env.analytics.productView({ id: 'a' });
      await env.advance(2000);
      const ids = env.events().map((e) => e.id);
      assert.equal(ids.length, 2);
      for (const id of ids) assert.match(id, UUID);
      assert.notEqual(ids[0], ids[1]);
    });

    it('sends a page_view per SPA navigation with the previous URL as referrer, deduplicating the same URL', async () => {
      const env = load(file, { url: 'https://shop.example/spa/' });
      await env.advance(1000);
      env.document.title = 'Lipsticks';
      env.pushState('/spa/lipsticks');
      await env.advance(10);
      env.replaceState('/spa/lipsticks'); // same URL
      env.pushState('/spa/lipsticks#reviews'); // in-page anchor
      await env.advance(10);
      env.popState('/spa/');
      await env.advance(3000);

      const views = env.ofType('page_view');
      assert.deepEqual(views.map((v) => v.url), [
        'https://shop.example/spa/',
        'https://shop.example/spa/lipsticks',
        'https://shop.example/spa/'
      ]);
      assert.equal(views[0].referrer, 'https://search.example/?q=serum');
      assert.equal(views[1].referrer, 'https://shop.example/spa/');
      assert.equal(views[1].title, 'Lipsticks', 'title read after the app rendered the view');
      assert.equal(views[2].referrer, 'https://shop.example/spa/lipsticks', 'the previous page view, anchors aside');

      // Leaving a view by SPA navigation reports its engagement with that view's URL.
      const engagement = env.ofType('engagement');
      assert.equal(engagement[0].url, 'https://shop.example/spa/');
      assert.equal(engagement[0].engagement.visible_ms, 1000);
    });

    it('sends a product_view from data-product attributes, price as a number', async () => {
      const env = load(file, { url: 'https://shop.example/product-rose.html', body: productPage() });
      await env.advance(2000);
      const [pv] = env.ofType('product_view');
      assert.ok(pv, 'product_view sent');
      assert.equal(pv.url, 'https://shop.example/product-rose.html');
      assert.deepEqual(pv.product, { id: 'SKU-42', name: 'Rose Serum', category: 'Skincare/Serums', price: 24.9, currency: 'EUR' });
      assert.equal(env.ofType('product_view').length, 1);
    });

    it('sends a product_view from analytics.productView, also when queued before the script loaded', async () => {
      const env = load(file, {
        before: (w) => {
          w.analytics = w.analytics || [];
          w.analytics.push(['productView', { id: 7, name: 'Early Balm', category: 'Lips', price: '9.5', currency: 'EUR' }]);
        }
      });
      env.analytics.productView({ id: 'SKU-8', name: 'Late Mask', price: 12 });
      env.analytics.push(['productView', { id: 'SKU-9' }]);
      await env.advance(2000);
      const products = env.ofType('product_view').map((e) => e.product);
      assert.deepEqual(products[0], { id: '7', name: 'Early Balm', category: 'Lips', price: 9.5, currency: 'EUR' });
      assert.equal(products[1].id, 'SKU-8');
      assert.equal(products[1].price, 12);
      assert.equal(products[2].id, 'SKU-9');
      assert.equal(products[2].price, undefined);
      assert.equal(products.length, 3);
    });

    it('stamps productView() called right after pushState with the new page', async () => {
      const env = load(file, { url: 'https://shop.example/routine.html' });
      env.pushState('/routine.html?product=SKU-9');
      env.analytics.productView({ id: 'SKU-9' });
      await env.advance(2000);
      assert.deepEqual(env.events().map((e) => [e.type, e.url]), [
        ['page_view', 'https://shop.example/routine.html'],
        ['page_view', 'https://shop.example/routine.html?product=SKU-9'],
        ['product_view', 'https://shop.example/routine.html?product=SKU-9']
      ]);
    });

    it('sends a list_impression once per item per page, only when at least half visible', async () => {
      const { items, other, body } = listPage();
      const env = load(file, { url: 'https://shop.example/', body });
      env.intersect(items[0], 0.3);
      env.intersect(items[0], 0.6);
      env.intersect(items[0], 0);
      env.intersect(items[0], 1);
      env.intersect(items[1], 0.5);
      env.intersect(items[2], 0.3); // never half visible
      env.intersect(other, 0.75);
      await env.advance(2000);
      assert.deepEqual(env.ofType('list_impression').map((e) => e.list), [
        { name: 'bestsellers', product_id: 'SKU-1', position: 1 },
        { name: 'bestsellers', product_id: 'SKU-2', position: 2 },
        { name: 'new_in', product_id: 'SKU-9', position: 1 }
      ]);
      assert.equal(env.observers[0].options.threshold, 0.5);

      // A new (SPA) page counts again the items that stay in view (re-observed, so reported afresh).
      env.pushState('/?sort=new');
      await env.advance(10);
      env.intersect(items[0], 1);
      await env.advance(2000);
      const again = env.ofType('list_impression').slice(3);
      assert.deepEqual(again.map((e) => e.list.product_id).sort(), ['SKU-1', 'SKU-2', 'SKU-9']);
      assert.ok(again.every((e) => e.url === 'https://shop.example/?sort=new'));
    });

    it('picks up list items rendered after load', async () => {
      const env = load(file);
      const late = h('ul', { 'data-list': 'recommended' }, h('li', { 'data-list-item': '', 'data-product-id': 'SKU-5', 'data-position': 4 }));
      env.appendToBody(late);
      await env.advance(300);
      env.intersect(late.children[0], 1);
      await env.advance(2000);
      assert.deepEqual(env.ofType('list_impression').map((e) => e.list), [{ name: 'recommended', product_id: 'SKU-5', position: 4 }]);
    });

    it('sends a list_click for a click inside a list item', async () => {
      const { items, body } = listPage();
      const env = load(file, { body });
      env.click(items[2].children[0].children[0]); // the <img> inside the <a>
      env.click(env.document.body); // outside any list: nothing
      await env.advance(2000);
      assert.deepEqual(env.ofType('list_click').map((e) => e.list), [{ name: 'bestsellers', product_id: 'SKU-3', position: 3 }]);
    });

    it('sends engagement (visible time, deepest scroll) on hide and pagehide, at once, by sendBeacon', async () => {
      const env = load(file, { url: 'https://shop.example/long' });
      env.scrollTo(1600); // (1600 + 800) / 3000 = 80 %
      env.scrollTo(200);
      await env.advance(5000);
      env.hide();
      assert.equal(env.ofType('engagement').length, 1, 'flushed immediately on hide');
      assert.deepEqual(env.ofType('engagement')[0].engagement, { visible_ms: 5000, max_scroll_pct: 80 });
      await env.advance(10_000); // hidden: not counted
      env.show();
      env.scrollTo(2200); // 100 %
      await env.advance(3000);
      env.hide();
      env.pagehide(); // right after hidden: nothing new to report
      const engagement = env.ofType('engagement');
      assert.equal(engagement.length, 2);
      assert.deepEqual(engagement[1].engagement, { visible_ms: 3000, max_scroll_pct: 100 });
      assert.equal(engagement[1].url, 'https://shop.example/long');
      assert.ok(env.sent.every((s) => s.via === 'sendBeacon'));
    });

    it('reports engagement on pagehide alone', async () => {
      const env = load(file);
      await env.advance(4200);
      env.pagehide();
      assert.deepEqual(env.ofType('engagement')[0].engagement, { visible_ms: 4200, max_scroll_pct: 27 });
    });

    it('counts a page restored from the back/forward cache as a new page view', async () => {
      const env = load(file);
      await env.advance(1000);
      env.pagehide();
      env.pageshow(true);
      env.pageshow(false);
      await env.advance(2000);
      assert.equal(env.ofType('page_view').length, 2);
    });

    it('sends text/plain batches of at most 100 events, flushing at once when 100 are queued', async () => {
      const env = load(file);
      for (let i = 0; i < 249; i++) env.analytics.productView({ id: `SKU-${i}` });
      assert.equal(env.sent.length, 2, 'two full batches without waiting');
      await env.advance(2000);
      const sizes = env.batches().map((b) => b.payload.events.length);
      assert.deepEqual(sizes, [100, 100, 50]);
      assert.ok(env.sent.every((s) => /^text\/plain/.test(s.contentType)));
      assert.equal(new Set(env.events().map((e) => e.id)).size, 250);
    });

    it('falls back to fetch (text/plain, keepalive, no credentials) when sendBeacon refuses or is missing', async () => {
      for (const beaconResult of [false, 'missing']) {
        const env = load(file, { beaconResult });
        await env.advance(2000);
        assert.equal(env.sent.length, 1);
        const [s] = env.sent;
        assert.equal(s.via, 'fetch');
        assert.equal(s.init.method, 'POST');
        assert.equal(s.init.keepalive, true);
        assert.equal(s.init.credentials, 'omit');
        assert.equal(s.contentType, 'text/plain');
        assert.equal(JSON.parse(s.body).events[0].type, 'page_view');
      }
    });

    it('retries a failed fetch at most 3 times with jittered exponential back-off', async () => {
      const env = load(file, { beaconResult: false, respond: () => { throw new TypeError('Failed to fetch'); } });
      await env.advance(10 * 60_000);
      assert.equal(env.sent.length, 4, 'first try + 3 retries');
      const sameBatch = new Set(env.sent.map((s) => s.body));
      assert.equal(sameBatch.size, 1, 'the same batch, same event ids, so the collector can deduplicate');
      const retryDelays = env.timerLog.filter((ms) => ms !== 2000);
      assert.equal(retryDelays.length, 3);
      retryDelays.forEach((ms, k) => {
        const base = 1000 * 2 ** k;
        assert.ok(ms >= base * 0.5 && ms <= base * 1.5, `retry ${k + 1} after ${ms} ms`);
      });
    });

    it('honours Retry-After on 503 and 429, and does not retry other 4xx', async () => {
      let calls = 0;
      const env = load(file, {
        beaconResult: false,
        respond: () => (++calls === 1 ? { status: 503, headers: { 'Retry-After': '7' } } : { status: 202 })
      });
      await env.advance(2000);
      await env.advance(6999);
      assert.equal(env.sent.length, 1);
      await env.advance(1);
      assert.equal(env.sent.length, 2);
      await env.advance(60_000);
      assert.equal(env.sent.length, 2, 'no retry after success');

      const bad = load(file, { beaconResult: false, respond: () => ({ status: 400 }) });
      await bad.advance(60_000);
      assert.equal(bad.sent.length, 1);

      let limited = 0;
      const busy = load(file, { beaconResult: false, respond: () => (++limited === 1 ? { status: 429 } : { status: 202 }) });
      await busy.advance(60_000);
      assert.equal(busy.sent.length, 2);
    });

    for (const [name, options] of [
      ['Global Privacy Control', { gpc: true }],
      ['Do Not Track', { dnt: '1' }],
      ['data-opt-out on the script tag', { script: { src: 'https://shop.example/beacon.js', 'data-site': 'demo', 'data-opt-out': '' } }],
      ['optOut() queued before load', { before: (w) => { w.analytics = [['optOut']]; } }],
      ['no data-site', { script: { src: 'https://shop.example/beacon.js' } }]
    ]) {
      it(`sends nothing under ${name}`, async () => {
        const env = load(file, { url: 'https://shop.example/', body: [...productPage(), ...listPage().body], ...options });
        await everything(env);
        assert.equal(env.fetches.length, 0);
        assert.equal(env.sent.length, 0);
      });
    }

    it('drops what is queued when optOut() is called, and resumes on optIn()', async () => {
      const env = load(file);
      env.analytics.productView({ id: 'SKU-1' });
      env.analytics.optOut();
      await everything(env);
      assert.equal(env.sent.length, 0);

      const later = load(file, { script: { src: 'https://shop.example/beacon.js', 'data-site': 'demo', 'data-opt-out': '' } });
      await later.advance(3000);
      assert.equal(later.sent.length, 0);
      later.analytics.optIn();
      await later.advance(2000);
      assert.deepEqual(later.events().map((e) => e.type), ['page_view']);
    });

    it('does not let optIn() override GPC or DNT', async () => {
      const env = load(file, { gpc: true, dnt: '1' });
      env.analytics.optIn();
      await everything(env);
      assert.equal(env.sent.length, 0);
    });

    it('touches no cookie or storage and leaves only window.analytics behind', async () => {
      const { body } = listPage();
      const env = load(file, { body: [...body, ...productPage()] });
      await everything(env);
      await env.analytics.whatWeHold().catch(() => {});
      assert.ok(env.sent.length > 0);
      assert.deepEqual(env.touched, []);
      assert.deepEqual(env.addedGlobals(), ['analytics']);
      for (const s of env.sent) assert.ok(!('credentials' in (s.init || {})) || s.init.credentials === 'omit');
    });

    it('forget() posts text/plain {site} to /v1/privacy/forget, also under GPC', async () => {
      const env = load(file, { gpc: true, respond: () => ({ status: 202, body: '{"forgotten":true}' }) });
      const answer = await env.analytics.forget();
      assert.deepEqual(plain(answer), { forgotten: true });
      const [call] = env.fetches;
      assert.equal(call.url, 'https://shop.example/v1/privacy/forget');
      assert.equal(call.init.method, 'POST');
      assert.equal(call.init.body, '{"site":"demo"}');
      assert.equal(call.init.headers['Content-Type'], 'text/plain');
      assert.equal(call.init.credentials, 'omit');
    });

    it('whatWeHold() GETs /v1/privacy/what-we-hold?site=… and resolves to its JSON; rejects on an error status', async () => {
      const held = { site: 'demo', events: 3, retention_days: 30 };
      const env = load(file, {
        script: { src: 'https://shop.example/beacon.js', 'data-site': 'demo', 'data-endpoint': 'https://stats.example/v1/events' },
        respond: (url) => (url.includes('what-we-hold') ? { status: 200, body: JSON.stringify(held) } : { status: 202 })
      });
      assert.deepEqual(plain(await env.analytics.whatWeHold()), held);
      const call = env.fetches.find((f) => f.url.includes('what-we-hold'));
      assert.equal(call.url, 'https://stats.example/v1/privacy/what-we-hold?site=demo');
      assert.equal(call.init.method, undefined);

      const failing = load(file, { respond: () => ({ status: 500 }) });
      await assert.rejects(failing.analytics.whatWeHold(), (r) => r.status === 500);
    });

    it('ignores a second copy of the script on the same page', async () => {
      const env = load(file);
      const api = env.analytics;
      env.loadAgain();
      assert.equal(env.analytics, api);
      await env.advance(2000);
      assert.equal(env.ofType('page_view').length, 1);
    });
  });
}
