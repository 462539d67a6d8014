// Line charts over a day range, drawn by uPlot. Days without a row (no data, or suppressed) are gaps, never zeros.
import uPlot from 'uplot';
import { day } from './format.js';

const COLORS = ['#8a2b5a', '#2f6f8f', '#c07a14', '#4c7a3a'];

export function dayChart(container, { from, to, rows, series, title }) {
  const days = day.range(from, to);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const data = [days.map((d) => day.parse(d).getTime() / 1000)];
  for (const s of series) data.push(days.map((d) => (byDay.has(d) ? byDay.get(d)[s.key] : null)));

  const width = () => Math.max(280, container.clientWidth || 640);
  const opts = {
    title,
    width: width(),
    height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    // Whole days on the x axis (the data is daily), labelled MM-DD.
    axes: [{ incrs: [86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400], values: (u, splits) => splits.map((s) => day.iso(new Date(s * 1000)).slice(5)) }, { size: 56 }],
    series: [{ label: 'Day' }].concat(series.map((s, i) => ({
      label: s.label,
      stroke: COLORS[i % COLORS.length],
      width: 2,
      points: { show: days.length < 45 },
      spanGaps: false
    })))
  };
  container.replaceChildren();
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', `${title}: ${series.map((s) => s.label).join(', ')} per day from ${from} to ${to}; the same numbers are in the table.`);
  const plot = new uPlot(opts, data, container);
  const resize = () => plot.setSize({ width: width(), height: 260 });
  window.addEventListener('resize', resize);
  return plot;
}
