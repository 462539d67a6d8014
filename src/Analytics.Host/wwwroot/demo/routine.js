// Routine finder: a tiny single-page app. Views switch with history.pushState and come back with popstate; the
// beacon turns each URL into a page_view on its own. The product detail view has no data-product element, so it
// reports the product explicitly with analytics.push(['productView', ...]), which works before and after the
// beacon has loaded.
(function () {
  'use strict';
  window.analytics = window.analytics || [];

  var products = {
    'SKU-9001': { name: 'Rose Face Serum', category: 'skincare/serums', price: 29.9, swatch: 'rose', page: 'product-rose-face-serum.html' },
    'SKU-9002': { name: 'Hydra Day Cream', category: 'skincare/moisturizers', price: 24.5, swatch: 'aqua', page: 'product-hydra-day-cream.html' },
    'SKU-9003': { name: 'Green Clay Mask', category: 'skincare/masks', price: 18, swatch: 'sage', page: 'product-green-clay-mask.html' },
    'SKU-9004': { name: 'Velvet Matte Lipstick', category: 'makeup/lips', price: 16.9, swatch: 'berry', page: 'product-velvet-matte-lipstick.html' },
    'SKU-9005': { name: 'Volume Lash Mascara', category: 'makeup/eyes', price: 14.9, swatch: 'ink', page: 'product-volume-lash-mascara.html' },
    'SKU-9006': { name: 'Dewy Skin Tint', category: 'makeup/face', price: 27, swatch: 'sand', page: 'product-dewy-skin-tint.html' }
  };
  var needs = {
    hydration: { title: 'Hydration', text: 'Water in, then seal it in.', routine: ['SKU-9001', 'SKU-9002', 'SKU-9006'] },
    calm: { title: 'Calm', text: 'Fewer steps, gentler ones.', routine: ['SKU-9003', 'SKU-9002'] },
    glow: { title: 'Glow', text: 'Prep, then a little light.', routine: ['SKU-9001', 'SKU-9006', 'SKU-9004', 'SKU-9005'] }
  };

  var app = document.getElementById('app');

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c];
    });
  }

  function euro(n) {
    return '€' + n.toFixed(2);
  }

  function link(query, label, cls) {
    return '<a data-spa class="' + (cls || '') + '" href="routine.html' + query + '">' + label + '</a>';
  }

  function start() {
    document.title = 'Routine finder — Demo Beauty';
    return '<h1>Routine finder</h1><p>What does your skin need most?</p><p class="choices">' +
      Object.keys(needs).map(function (k) {
        return link('?need=' + k, esc(needs[k].title), 'button');
      }).join(' ') + '</p>';
  }

  function routine(key) {
    var need = needs[key];
    document.title = need.title + ' routine — Demo Beauty';
    return '<h1>Your ' + esc(need.title.toLowerCase()) + ' routine</h1><p>' + esc(need.text) + '</p>' +
      '<ul class="grid" data-list="routine_' + key + '">' +
      need.routine.map(function (id, i) {
        var p = products[id];
        return '<li class="tile" data-list-item data-product-id="' + id + '" data-position="' + (i + 1) + '">' +
          '<a data-spa href="routine.html?need=' + key + '&amp;product=' + id + '"><span class="swatch ' + p.swatch + '"></span>' +
          '<span class="name">' + esc(p.name) + '</span><span class="price">' + euro(p.price) + '</span></a></li>';
      }).join('') + '</ul><p>' + link('', '← Start again') + '</p>';
  }

  function detail(key, id) {
    var p = products[id];
    document.title = p.name + ' — Routine finder — Demo Beauty';
    window.analytics.push(['productView', { id: id, name: p.name, category: p.category, price: p.price, currency: 'EUR' }]);
    return '<article class="product"><div class="swatch big ' + p.swatch + '"></div><div><h1>' + esc(p.name) + '</h1>' +
      '<p class="price">' + euro(p.price) + '</p><p>Step of your ' + esc(needs[key].title.toLowerCase()) + ' routine.</p>' +
      '<p><a class="button" href="' + p.page + '">Full details</a> ' + link('?need=' + key, '← Back to the routine', 'button ghost') +
      '</p></div></article>';
  }

  function render() {
    var q = new URLSearchParams(location.search);
    var need = needs[q.get('need')] ? q.get('need') : null;
    var id = products[q.get('product')] ? q.get('product') : null;
    app.innerHTML = need && id ? detail(need, id) : need ? routine(need) : start();
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-spa]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    history.pushState(null, '', a.getAttribute('href'));
    render();
    window.scrollTo(0, 0);
  });
  window.addEventListener('popstate', render);
  render();
})();
