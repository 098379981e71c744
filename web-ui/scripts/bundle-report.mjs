// Prints the JavaScript the first screen loads (the entry script and every
// module it preloads, as listed in dist/index.html), raw and gzipped, the
// GraphQL operations shipped in it, and the lazy rest. Exits 1 when the first
// screen is over its 250 KB gzip budget, so `make web` fails on it.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_BYTES = 250 * 1024;

const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const first = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
const size = (file) => {
  const bytes = readFileSync(new URL(file, dist));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
// A generated document's operation, as the minifier leaves it: `operation:"query",name:{kind:"Name",value:"Today"}` (any quotes).
const operations = (file) =>
  [...readFileSync(new URL(file, dist), 'utf8').matchAll(/operation:\s*["'`](?:query|mutation|subscription)["'`],\s*name:\s*\{\s*kind:\s*["'`]Name["'`],\s*value:\s*["'`](\w+)["'`]/g)].map((match) => match[1]);
let raw = 0;
let gzip = 0;
const firstOperations = new Set();
for (const file of first) {
  const s = size(file);
  raw += s.raw;
  gzip += s.gzip;
  for (const name of operations(file)) firstOperations.add(name);
}
const all = readdirSync(new URL('assets/', dist)).filter((file) => file.endsWith('.js'));
let lazyGzip = 0;
for (const file of all.filter((file) => !first.includes(`assets/${file}`))) lazyGzip += size(`assets/${file}`).gzip;
const over = gzip > BUDGET_GZIP_BYTES;
console.log(`first screen JS: ${first.length} files, ${kb(raw)} raw, ${kb(gzip)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)} gzipped)${over ? ' — OVER BUDGET' : ''}`);
console.log(`first screen GraphQL operations: ${[...firstOperations].sort().join(', ') || 'none'}`);
console.log(`lazy JS (other screens, charts): ${all.length - first.length} files, ${kb(lazyGzip)} gzipped`);
if (over) {
  console.error('the first screen is over its budget: load the new code with its screen (React.lazy) instead of from App or Today');
  process.exit(1);
}
