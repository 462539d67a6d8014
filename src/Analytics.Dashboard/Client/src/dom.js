// A tiny element builder: h('a', {href: '/x', class: 'y'}, 'text', child). Text is always set as text, never HTML.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

// A sparkline of values (null = suppressed day, drawn as a gap), as an image with a text alternative.
export function sparkline(values, label) {
  const w = 96;
  const ht = 24;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${ht}`);
  svg.setAttribute('width', w);
  svg.setAttribute('height', ht);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.add('spark');
  const max = Math.max(1, ...values.filter((v) => v != null));
  const step = values.length > 1 ? w / (values.length - 1) : w;
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v == null) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (ht - 2 - (v / max) * (ht - 4)).toFixed(1);
    d += (pen ? 'L' : 'M') + x + ' ' + y + ' ';
    pen = true;
  });
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d.trim() || 'M0 ' + (ht - 2));
  svg.append(path);
  // A day with gaps on both sides has no line to draw: mark it with a dot.
  values.forEach((v, i) => {
    if (v == null || values[i - 1] != null || values[i + 1] != null) return;
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', (i * step).toFixed(1));
    dot.setAttribute('cy', (ht - 2 - (v / max) * (ht - 4)).toFixed(1));
    dot.setAttribute('r', '2');
    svg.append(dot);
  });
  return svg;
}
