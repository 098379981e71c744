// Prints the JavaScript the first screen loads (the entry script and every
// module it preloads, as listed in dist/index.html), raw and gzipped, against
// the 250 KB gzip budget. A report, not a gate: it exits 0 either way.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const first = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
const size = (file) => {
  const bytes = readFileSync(new URL(file, dist));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let raw = 0;
let gzip = 0;
for (const file of first) {
  const s = size(file);
  raw += s.raw;
  gzip += s.gzip;
}
const all = readdirSync(new URL('assets/', dist)).filter((file) => file.endsWith('.js'));
let lazyGzip = 0;
for (const file of all.filter((file) => !first.includes(`assets/${file}`))) lazyGzip += size(`assets/${file}`).gzip;
console.log(`first screen JS: ${first.length} files, ${kb(raw)} raw, ${kb(gzip)} gzipped (budget 250 KB gzipped)${gzip > 250 * 1024 ? ' — OVER BUDGET' : ''}`);
console.log(`lazy JS (other screens, charts): ${all.length - first.length} files, ${kb(lazyGzip)} gzipped`);
