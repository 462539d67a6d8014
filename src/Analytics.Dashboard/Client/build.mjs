// Builds the dashboard's static assets into ../wwwroot/assets/ with esbuild:
//   dashboard.js + dashboard.css  (src/main.js, with uPlot from npm bundled in; no CDN at run time)
//   login.js                      (src/login.js)
// and writes build-stamp.json: a hash of every input (sources, this script, package-lock.json) and of every output,
// so a check (tests/Analytics.Dashboard.Tests, or `npm run check`) can tell a committed bundle that is stale.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const here = import.meta.dirname;
const out = join(here, '..', 'wwwroot', 'assets');

// Keep in step with BundleStamp in tests/Analytics.Dashboard.Tests: sorted relative paths, each "path\nsha256\n".
function stamp(root, files) {
  const h = createHash('sha256');
  for (const f of files.map((f) => relative(root, f).split('\\').join('/')).sort()) {
    const content = readFileSync(join(root, f));
    h.update(f + '\n' + createHash('sha256').update(content).digest('hex') + '\n');
  }
  return h.digest('hex');
}

const inputs = () => [
  ...readdirSync(join(here, 'src')).map((f) => join(here, 'src', f)),
  join(here, 'build.mjs'),
  join(here, 'package-lock.json')
];
const outputs = () => ['dashboard.js', 'dashboard.css', 'login.js'].map((f) => join(out, f));

if (process.argv.includes('--check')) {
  const saved = JSON.parse(readFileSync(join(out, 'build-stamp.json'), 'utf8'));
  const ok = saved.inputs === stamp(here, inputs()) && saved.outputs === stamp(out, outputs());
  console.log(ok ? 'dashboard bundle is up to date' : 'dashboard bundle is stale: run `npm ci && npm run build` in src/Analytics.Dashboard/Client');
  process.exit(ok ? 0 : 1);
}

await build({
  entryPoints: { dashboard: join(here, 'src', 'main.js'), login: join(here, 'src', 'login.js') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'eof',
  logLevel: 'warning'
});
writeFileSync(join(out, 'build-stamp.json'), JSON.stringify({ inputs: stamp(here, inputs()), outputs: stamp(out, outputs()) }, null, 2) + '\n');
console.log('built', outputs().map((f) => relative(here, f)).join(', '));
