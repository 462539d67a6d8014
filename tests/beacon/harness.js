'use strict';
// A fake browser just big enough for beacon.js: window, document with a tiny DOM (attribute selectors and the
// descendant combinator only), navigator.sendBeacon, fetch, history, IntersectionObserver, MutationObserver, and a
// virtual clock driving Date.now and the timers. beacon.js runs inside a vm context whose global is the fake window,
// so it sees exactly what a page would give it and nothing of Node.

const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');
const nodeCrypto = require('node:crypto');

const BEACON_DIR = path.join(__dirname, '..', '..', 'src', 'Analytics.Collector', 'Beacon');
const FILES = {
  source: path.join(BEACON_DIR, 'beacon.js'),
  minified: path.join(BEACON_DIR, 'beacon.min.js')
};

const START = Date.UTC(2025, 10, 26, 9, 0, 0);

// ---------------------------------------------------------------------------------------------------------------
// DOM

const camel = (attr) => attr.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase());

function parseCompound(compound) {
  const m = /^([a-z]*)((?:\[[^\]]+\])*)$/i.exec(compound);
  if (!m) throw new Error(`selector not supported by the harness: ${compound}`);
  const attrs = [...m[2].matchAll(/\[([\w-]+)(?:="([^"]*)")?\]/g)].map((a) => ({ name: a[1], value: a[2] }));
  return { tag: m[1].toUpperCase(), attrs };
}

function matchesCompound(el, { tag, attrs }) {
  if (tag && el.tagName !== tag) return false;
  return attrs.every((a) => a.name in el.attributes && (a.value === undefined || el.attributes[a.name] === a.value));
}

function matchesSelector(el, selector) {
  return selector.split(',').some((alt) => {
    const parts = alt.trim().split(/\s+/).map(parseCompound);
    if (!matchesCompound(el, parts[parts.length - 1])) return false;
    let i = parts.length - 2;
    for (let a = el.parentNode; a && i >= 0; a = a.parentNode) {
      if (matchesCompound(a, parts[i])) i--;
    }
    return i < 0;
  });
}

class FakeElement {
  constructor(tag, attrs = {}, children = []) {
    this.tagName = tag.toUpperCase();
    this.attributes = {};
    this.dataset = {};
    this.children = [];
    this.parentNode = null;
    for (const [k, v] of Object.entries(attrs)) this.setAttribute(k, v);
    for (const c of children) this.append(c);
  }

  setAttribute(name, value) {
    this.attributes[name] = String(value);
    if (name.startsWith('data-')) this.dataset[camel(name)] = String(value);
    if (name === 'src') this.src = String(value);
  }

  append(child) {
    if (typeof child === 'string') return null;
    child.parentNode = this;
    this.children.push(child);
    return child;
  }

  remove() {
    if (!this.parentNode) return;
    this.parentNode.children = this.parentNode.children.filter((c) => c !== this);
    this.parentNode = null;
  }

  matches(selector) {
    return matchesSelector(this, selector);
  }

  closest(selector) {
    for (let e = this; e; e = e.parentNode) if (e.matches(selector)) return e;
    return null;
  }

  *descendants() {
    for (const c of this.children) {
      yield c;
      yield* c.descendants();
    }
  }

  querySelectorAll(selector) {
    return [...this.descendants()].filter((e) => e.matches(selector));
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] || null;
  }
}

/** h('div', {'data-list': 'x'}, h('a', {...})) */
const h = (tag, attrs, ...children) => new FakeElement(tag, attrs || {}, children.flat());

// ---------------------------------------------------------------------------------------------------------------
// Browser

/**
 * Loads a beacon file into a fresh fake page.
 * @param {string} file FILES.source or FILES.minified
 * @param {object} [o]
 * @param {string} [o.url] page URL
 * @param {string} [o.referrer]
 * @param {string} [o.title]
 * @param {object} [o.script] attributes of the script tag (default src + data-site="demo")
 * @param {FakeElement[]} [o.body] page content
 * @param {boolean} [o.gpc] navigator.globalPrivacyControl
 * @param {string} [o.dnt] navigator.doNotTrack
 * @param {boolean|'missing'} [o.beaconResult] what sendBeacon answers; 'missing' leaves it undefined
 * @param {Function} [o.respond] (url, init) => {status, headers, body} | throws, for fetch
 * @param {Function} [o.before] (window) => void, runs before the script (e.g. the push-style stub)
 * @param {boolean} [o.randomUUID] false removes crypto.randomUUID (insecure context)
 */
function load(file, o = {}) {
  const clock = { now: START };
  const timers = [];
  let timerSeq = 0;
  const timerLog = [];

  const sent = []; // {via, url, contentType, body, init}
  const fetches = []; // every fetch call, privacy calls included
  const touched = []; // storage / cookie access
  const listeners = { window: {}, document: {} };
  const observers = [];
  const mutationObservers = [];

  const url = new URL(o.url || 'https://shop.example/');
  const location = { href: url.href, origin: url.origin };
  const setUrl = (next) => {
    const u = new URL(next, location.href);
    location.href = u.href;
    location.origin = u.origin;
  };

  const scriptAttrs = o.script || { src: 'https://shop.example/beacon.js', 'data-site': 'demo' };
  const script = h('script', scriptAttrs);
  const body = h('body', {}, o.body || []);
  const html = h('html', {}, h('head', {}, script), body);
  html.scrollHeight = 3000;

  const addListener = (bucket) => (type, fn, opts) => {
    (listeners[bucket][type] ||= []).push({ fn, opts });
  };

  const document = {
    documentElement: html,
    body,
    title: o.title ?? 'Demo Beauty',
    referrer: o.referrer ?? 'https://search.example/?q=serum',
    visibilityState: 'visible',
    currentScript: script,
    querySelector: (s) => (html.matches(s) ? html : html.querySelector(s)),
    querySelectorAll: (s) => html.querySelectorAll(s),
    addEventListener: addListener('document'),
    removeEventListener() {}
  };
  Object.defineProperty(document, 'cookie', {
    get() {
      touched.push('document.cookie (read)');
      return '';
    },
    set() {
      touched.push('document.cookie (write)');
    }
  });

  const respond = o.respond || (() => ({ status: 202, body: '{"accepted":1,"rejected":[],"dropped":0}' }));
  const fetch = (target, init = {}) => {
    fetches.push({ url: String(target), init });
    if (!String(target).includes('/v1/privacy/')) {
      sent.push({ via: 'fetch', url: String(target), contentType: init.headers?.['Content-Type'], body: init.body, init });
    }
    let r;
    try {
      r = respond(String(target), init);
    } catch (e) {
      return Promise.reject(e);
    }
    const headers = r.headers || {};
    return Promise.resolve({
      ok: r.status >= 200 && r.status < 300,
      status: r.status,
      headers: { get: (name) => headers[name] ?? headers[name.toLowerCase()] ?? null },
      text: () => Promise.resolve(r.body || ''),
      json: () => Promise.resolve(JSON.parse(r.body))
    });
  };

  const navigator = {
    language: 'de-DE',
    userAgent: 'FakeBrowser/1.0',
    globalPrivacyControl: o.gpc,
    doNotTrack: o.dnt ?? null
  };
  if (o.beaconResult !== 'missing') {
    navigator.sendBeacon = (target, data) => {
      // A string body goes out as text/plain;charset=UTF-8: a CORS-safelisted type, no preflight.
      const contentType = typeof data === 'string' ? 'text/plain;charset=UTF-8' : data?.type;
      const accepted = o.beaconResult ?? true;
      if (accepted) sent.push({ via: 'sendBeacon', url: String(target), contentType, body: data });
      return accepted;
    };
  }

  class FakeIntersectionObserver {
    constructor(callback, options) {
      this.callback = callback;
      this.options = options;
      this.targets = new Set();
      observers.push(this);
    }
    // Like the real one, observing a target reports its current state once, asynchronously.
    observe(el) {
      if (this.targets.has(el)) return;
      this.targets.add(el);
      const ratio = el.visibleRatio || 0;
      Promise.resolve().then(() => this.callback([{ target: el, isIntersecting: ratio > 0, intersectionRatio: ratio }], this));
    }
    unobserve(el) {
      this.targets.delete(el);
    }
    disconnect() {
      this.targets.clear();
    }
  }

  class FakeMutationObserver {
    constructor(callback) {
      this.callback = callback;
      mutationObservers.push(this);
    }
    observe(target, options) {
      this.target = target;
      this.options = options;
    }
    disconnect() {}
  }

  class FakeDate extends Date {
    constructor(...args) {
      super(...(args.length ? args : [clock.now]));
    }
    static now() {
      return clock.now;
    }
  }

  const crypto = {
    getRandomValues: (a) => nodeCrypto.getRandomValues(a)
  };
  if (o.randomUUID !== false) crypto.randomUUID = () => nodeCrypto.randomUUID();

  const history = {
    length: 1,
    state: null,
    pushState(state, _title, next) {
      this.state = state;
      if (next != null) setUrl(next);
    },
    replaceState(state, _title, next) {
      this.state = state;
      if (next != null) setUrl(next);
    }
  };

  const win = {
    document,
    navigator,
    location,
    history,
    screen: { width: 1440, height: 900 },
    scrollY: 0,
    innerHeight: 800,
    crypto,
    fetch,
    URL,
    Uint8Array,
    Date: FakeDate,
    IntersectionObserver: FakeIntersectionObserver,
    MutationObserver: FakeMutationObserver,
    console,
    setTimeout(fn, ms = 0) {
      const id = ++timerSeq;
      timers.push({ id, at: clock.now + Math.max(0, ms), fn });
      timerLog.push(ms);
      return id;
    },
    clearTimeout(id) {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    addEventListener: addListener('window'),
    removeEventListener() {}
  };
  win.window = win;
  win.self = win;
  win.globalThis = win;
  for (const name of ['localStorage', 'sessionStorage', 'indexedDB']) {
    Object.defineProperty(win, name, {
      get() {
        touched.push(name);
        return undefined;
      }
    });
  }

  const context = vm.createContext(win);
  if (o.before) o.before(win);
  const code = fs.readFileSync(file, 'utf8');
  const globalsBefore = Object.keys(win);
  vm.runInContext(code, context, { filename: path.basename(file) });

  const fire = (bucket, type, event = {}) => {
    for (const { fn } of listeners[bucket][type] || []) fn({ type, ...event });
  };
  const settle = () => new Promise((r) => setImmediate(r));

  const env = {
    window: win,
    document,
    clock,
    sent,
    fetches,
    touched,
    timerLog,
    observers,
    get analytics() {
      return win.analytics;
    },
    /** Globals the script added to window (should be just `analytics`). */
    addedGlobals: () => Object.keys(win).filter((k) => !globalsBefore.includes(k)),
    /** Batches that reached the collector endpoint, parsed. */
    batches: () => sent.map((s) => ({ ...s, payload: JSON.parse(s.body) })),
    /** Every event sent, in order. */
    events: () => env.batches().flatMap((b) => b.payload.events),
    ofType: (type) => env.events().filter((e) => e.type === type),
    /** Runs due timers up to `ms` from now, letting promises settle between them. */
    async advance(ms) {
      const target = clock.now + ms;
      for (;;) {
        await settle();
        timers.sort((a, b) => a.at - b.at || a.id - b.id);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        clock.now = next.at;
        next.fn();
      }
      clock.now = target;
      await settle();
      await settle();
    },
    pushState: (next) => win.history.pushState({}, '', next),
    replaceState: (next) => win.history.replaceState({}, '', next),
    popState(next) {
      setUrl(next);
      fire('window', 'popstate', { state: null });
    },
    hide() {
      document.visibilityState = 'hidden';
      fire('document', 'visibilitychange');
    },
    show() {
      document.visibilityState = 'visible';
      fire('document', 'visibilitychange');
    },
    pagehide: () => fire('window', 'pagehide', { persisted: false }),
    pageshow: (persisted) => fire('window', 'pageshow', { persisted }),
    scrollTo(y) {
      win.scrollY = y;
      fire('window', 'scroll');
    },
    click: (target) => fire('document', 'click', { target }),
    /** The element becomes `ratio` visible, as IntersectionObserver would report it to observers watching it. */
    intersect(el, ratio) {
      el.visibleRatio = ratio;
      for (const io of observers) {
        if (io.targets.has(el)) io.callback([{ target: el, isIntersecting: ratio > 0, intersectionRatio: ratio }], io);
      }
    },
    /** Appends to the body and tells the MutationObservers, as a browser would. */
    appendToBody(el) {
      body.append(el);
      for (const mo of mutationObservers) mo.callback([{ type: 'childList', addedNodes: [el] }], mo);
    },
    /** Loads the same file again into this page (a second script tag). */
    loadAgain: () => vm.runInContext(code, context, { filename: path.basename(file) })
  };
  return env;
}

module.exports = { load, h, FILES, BEACON_DIR, START };
