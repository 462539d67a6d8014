const int = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const dec = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const pct = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

export const fmt = {
  int: (v) => (v == null ? '–' : int.format(v)),
  dec: (v) => (v == null ? '–' : dec.format(v)),
  pct: (v) => (v == null ? '–' : pct.format(v)),
  text: (v) => (v == null || v === '' ? '' : String(v))
};

// ISO day arithmetic in UTC, so no local time zone shifts a date.
export const day = {
  parse: (s) => new Date(s + 'T00:00:00Z'),
  iso: (d) => d.toISOString().slice(0, 10),
  add: (s, n) => day.iso(new Date(day.parse(s).getTime() + n * 86400000)),
  range(from, to) {
    const days = [];
    for (let d = from; d <= to && days.length < 4000; d = day.add(d, 1)) days.push(d);
    return days;
  }
};

export function ago(seconds) {
  if (seconds == null) return 'never';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}
