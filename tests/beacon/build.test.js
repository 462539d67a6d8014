'use strict';
// The committed minified build: within its size budget, and (when terser is installed) what the source builds to.

const { it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { FILES, BEACON_DIR } = require('./harness');

it('beacon.min.js is at least 200 bytes and under 2048 bytes gzipped', () => {
  const raw = fs.readFileSync(FILES.minified);
  // gzip -9 -c beacon.min.js | wc -c: the gzip header also carries the file name.
  const gzipped = zlib.gzipSync(raw, { level: 9 }).length + 'beacon.min.js'.length + 1;
  assert.ok(raw.length >= 200, `${raw.length} bytes`);
  assert.ok(gzipped < 2048, `${gzipped} bytes gzipped`);
});

it('beacon.min.js is what `npm run build` makes of beacon.js', async (t) => {
  let terser;
  try {
    terser = require(path.join(BEACON_DIR, 'node_modules', 'terser'));
  } catch {
    t.skip('terser not installed: run `npm ci` in src/Analytics.Collector/Beacon to check the build is fresh');
    return;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(BEACON_DIR, 'package.json'), 'utf8'));
  // Keep in step with the build script: terser beacon.js --ecma 2020 --compress passes=3 --mangle
  assert.match(pkg.scripts.build, /terser beacon\.js --ecma 2020 --compress passes=3 --mangle --output beacon\.min\.js/);
  const { code } = await terser.minify(fs.readFileSync(FILES.source, 'utf8'), {
    ecma: 2020,
    compress: { passes: 3 },
    mangle: true
  });
  assert.equal(fs.readFileSync(FILES.minified, 'utf8').trim(), code.trim(), 'beacon.min.js is stale: run `npm run build`');
});
