// Storefront snippet, event contract v1 (docs/events.md). Readable source: `npm run build` writes beacon.min.js,
// which the collector embeds and serves at GET /beacon.js. ES2021 and the APIs every current browser has
// (sendBeacon, IntersectionObserver, MutationObserver); a browser too old to run it simply sends nothing.
//
//   <script defer src="/beacon.js" data-site="demo" data-endpoint="/v1/events"></script>
//
// data-site      required: the site id the collector knows.
// data-endpoint  optional: where batches go (relative to the page); default: the script's origin + /v1/events.
//                The privacy calls (forget, what-we-hold) use the same base with /v1/events -> /v1/privacy/...
// data-opt-out   optional: the page sends nothing until analytics.optIn(). The beacon stores nothing, so an opt-out
//                made with analytics.optOut() lasts for this page only: a site that wants it to stick renders
//                data-opt-out (or calls analytics.optOut() early) on every page for that visitor.
//
// Nothing is ever sent while the browser signals Global Privacy Control or Do Not Track; optIn() does not override
// them. The privacy calls (forget, whatWeHold) work regardless: asking is the visitor's right either way.
((w) => {
  const d = w.document;
  const n = w.navigator;
  const loc = w.location;

  // Loaded twice (two tags, or a tag plus a bundled copy): the first copy wins.
  if (w.analytics?.optOut) return;

  const script = d.currentScript || d.querySelector('script[data-site]');
  const conf = script?.dataset || {};
  const site = conf.site;
  // data-endpoint resolves against the page, like any URL attribute; the default against the script's own URL.
  const endpoint = conf.endpoint
    ? new URL(conf.endpoint, loc.href).href
    : new URL('/v1/events', script?.src || loc.href).href;
  const apiRoot = endpoint.replace(/\/v1\/events$/, '');
  const plain = { 'Content-Type': 'text/plain' };

  let optedOut = conf.optOut != null;
  let queue = [];
  let flushTimer = 0;
  let scanTimer = 0;

  // The page being shown. Its context stamps every event, so the engagement for a page left by SPA navigation still
  // carries that page's URL, referrer and title.
  let page = 0;
  let pageKey = '';
  let previousUrl = d.referrer;
  let seen; // elements already reported on this page (impressions, the product detail)
  let visibleSince = 0;
  let visibleMs = 0;
  let maxScroll = 0;

  const off = () => !site || optedOut || n.globalPrivacyControl === true || n.doNotTrack === '1';

  // Ids only let the collector drop a retried duplicate; they identify nobody. randomUUID needs a secure context,
  // so plain-http pages get a v4 UUID from getRandomValues.
  const uuid = () =>
    w.crypto.randomUUID?.() ||
    '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (x) =>
      (x ^ (w.crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (x / 4)))).toString(16));

  const track = (type, extra) => {
    if (off() || !page) return;
    queue.push({ type, id: uuid(), ts: Date.now(), ...page, ...extra });
    if (queue.length > 99) flush();
    else flushTimer ||= setTimeout(flush, 2000);
  };

  // Ships everything queued, in batches of at most 100 (the collector's limit).
  const flush = () => {
    clearTimeout(flushTimer);
    flushTimer = 0;
    while (queue.length) send(queue.splice(0, 100), 0);
  };

  // text/plain is a CORS-safelisted type, so a cross-origin collector needs no preflight. sendBeacon survives page
  // unload but says nothing about the answer; when it refuses (quota, size) or a retry is due, fetch with keepalive
  // takes over. Retries are bounded (3) with jittered exponential back-off, or the server's Retry-After.
  const send = (batch, attempt) => {
    if (off()) return;
    const body = JSON.stringify({ site, events: batch });
    if (!attempt && n.sendBeacon?.(endpoint, body)) return;
    w.fetch(endpoint, { method: 'POST', body, keepalive: true, credentials: 'omit', headers: plain })
      .then((r) => {
        // Any other 4xx would fail the same way again: drop it.
        if (r.status > 499 || r.status == 429) throw r;
      })
      .catch((r) => {
        if (attempt < 3) {
          setTimeout(() => send(batch, attempt + 1),
            r?.headers?.get('Retry-After') * 1000 || 1000 * 2 ** attempt * (0.5 + Math.random()));
        }
      });
  };

  // `get` reads one field by name, from an object or from data-product-* attributes.
  const product = (get) => {
    const price = parseFloat(get('price'));
    return {
      product: {
        id: get('id') && '' + get('id'),
        name: get('name'),
        category: get('category'),
        price: price >= 0 ? price : undefined,
        currency: get('currency')
      }
    };
  };

  const listEvent = (type, item) => {
    const list = item.closest('[data-list]');
    list && track(type, {
      list: { name: list.dataset.list, product_id: item.dataset.productId, position: +item.dataset.position }
    });
  };

  // Impressions: at least half of an item in view, once per item per page. 0.49 because browsers report a ratio a
  // hair under the threshold when it is crossed exactly.
  const observer = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting, intersectionRatio } of entries) {
      if (isIntersecting && intersectionRatio > 0.49 && !seen.has(target)) {
        seen.add(target);
        listEvent('list_impression', target);
      }
    }
  }, { threshold: 0.5 });

  // Finds what the page declares: list items to watch, and the product on a product page. `fresh` re-observes
  // everything, so items still in view after SPA navigation count again for the new page.
  const scan = (fresh) => {
    if (off() || !page) return;
    fresh && observer.disconnect();
    d.querySelectorAll('[data-list] [data-list-item]').forEach((el) => observer.observe(el));
    const el = d.querySelector('[data-product]');
    if (el && !seen.has(el)) {
      seen.add(el);
      track('product_view', product((k) => el.dataset['product' + k[0].toUpperCase() + k.slice(1)]));
    }
  };

  const measureScroll = () => {
    const pct = Math.round((w.scrollY + w.innerHeight) / d.documentElement.scrollHeight * 100) || 100;
    maxScroll = Math.max(maxScroll, Math.min(pct, 100));
  };

  // Adds the visible time since the last call: time counts only while the tab is visible.
  const tick = () => {
    const t = Date.now();
    if (visibleSince) visibleMs += t - visibleSince;
    visibleSince = d.visibilityState == 'hidden' ? 0 : t;
  };

  // Engagement is reported whenever the page may be going away (hidden, pagehide, SPA navigation); mobile browsers
  // may discard a hidden tab without pagehide. A tab hidden and shown again reports again: visible_ms is the time
  // since the previous report, so it sums per page view; max_scroll_pct is the deepest point so far.
  const leave = () => {
    tick();
    if (visibleMs > 0) {
      track('engagement', { engagement: { visible_ms: visibleMs, max_scroll_pct: maxScroll } });
      visibleMs = 0;
    }
  };

  const pageView = () => {
    const url = loc.href;
    const key = url.split('#')[0]; // an in-page anchor is not a new page
    if (key == pageKey || off()) return;
    page && leave();
    pageKey = key;
    page = {
      url,
      referrer: previousUrl,
      title: d.title,
      screen: screen.width + 'x' + screen.height,
      lang: n.language
    };
    previousUrl = url;
    seen = new Set();
    visibleSince = visibleMs = maxScroll = 0;
    tick();
    measureScroll();
    track('page_view');
    scan(1);
  };

  // Deferred a tick, so the app has rendered the new view (title, product element) when it is read.
  const navigated = () => setTimeout(pageView, 0);

  const hide = () => {
    leave();
    flush();
  };

  const request = (path, init) =>
    w.fetch(apiRoot + path, { credentials: 'omit', ...init }).then((r) => {
      if (!r.ok) throw r; // the Response, for its status
      return r.text().then((t) => (t ? JSON.parse(t) : {}));
    });

  const api = {
    // Push-style calls work before and after load: analytics.push(['productView', {...}]).
    push: ([name, ...args]) => api[name]?.(...args),
    // A view switched by pushState just before this call gets its page_view first, so the product is stamped with the
    // new page rather than the one being left.
    productView: (p) => {
      pageView();
      track('product_view', product((k) => p?.[k]));
    },
    optOut: () => {
      optedOut = true;
      queue = [];
    },
    optIn: () => {
      optedOut = false;
      pageView();
    },
    flush,
    forget: () => request('/v1/privacy/forget', { method: 'POST', body: JSON.stringify({ site }), headers: plain }),
    whatWeHold: () => request('/v1/privacy/what-we-hold?site=' + encodeURIComponent(site))
  };


  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    history[name] = function () {
      const result = original.apply(this, arguments);
      navigated();
      return result;
    };
  }
  const on = (target, type, fn, opts) => target.addEventListener(type, fn, opts);
  on(w, 'popstate', navigated);
  // After pagehide the page is gone: the visibilitychange that follows must not report a second, near-empty engagement.
  on(w, 'pagehide', () => { hide(); visibleSince = 0; });
  // Back from the back/forward cache: shown again without a load, so a new page view.
  on(w, 'pageshow', (e) => e.persisted && (pageKey = '', pageView()));
  on(w, 'scroll', measureScroll, { passive: true });
  on(d, 'visibilitychange', () => (d.visibilityState == 'hidden' ? hide() : tick()));
  on(d, 'click', (e) => {
    const item = e.target.closest?.('[data-list-item]');
    item && listEvent('list_click', item);
  }, true);
  // Lists and products rendered later (lazy loading, client-side views) are picked up, debounced.
  new MutationObserver(() => {
    scanTimer ||= setTimeout(() => {
      scanTimer = 0;
      scan();
    }, 300);
  }).observe(d.documentElement, { childList: true, subtree: true });

  // The first page view is queued (not yet sent) before the calls made before load run, so an early productView()
  // follows it and an early optOut() drops it before anything leaves.
  const early = w.analytics;
  w.analytics = api;
  pageView();
  early?.forEach?.(api.push);
})(window);
