// Prints the size of beacon.min.js and fails when it leaves its budget: at least 200 bytes, and under 2048 bytes
// gzipped as `gzip -9 -c beacon.min.js | wc -c` counts them (gzip's header carries the file name, 14 bytes more
// than the bare stream).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const name = 'beacon.min.js';
const raw = fs.readFileSync(path.join(__dirname, name));
const gz = zlib.gzipSync(raw, { level: 9 }).length + name.length + 1;
console.log(`${name}: ${raw.length} bytes, ${gz} bytes gzipped (budget < 2048, aim <= 1700)`);
if (gz >= 2048 || raw.length < 200) {
  console.error(`${name} is outside its size budget`);
  process.exit(1);
}
