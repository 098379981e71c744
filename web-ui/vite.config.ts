/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { ICONS } from './scripts/icons';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Makes the app installable and able to open offline:
 * - draws the manifest's PNG icons (scripts/icons.ts) into the build, and
 *   serves them from the dev server too;
 * - writes `sw.js` next to index.html with the list of files to precache (the
 *   page, the manifest, the icons and every built JS/CSS file, lazy screens
 *   included), so the app shell opens offline after one visit. The cache
 *   name carries a hash of that list, the worker's code and the public files:
 *   a new build replaces the old cache when its service worker activates.
 */
function serviceWorker(): Plugin {
  const publicDir = new URL('./public/', import.meta.url);
  return {
    name: 'dealdesk-service-worker',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const draw = ICONS[(req.url ?? '').replace(/^\//, '').split('?')[0]];
        if (!draw) return next();
        res.setHeader('content-type', 'image/png');
        res.end(draw());
      });
    },
    generateBundle(_options, bundle) {
      for (const [fileName, draw] of Object.entries(ICONS)) this.emitFile({ type: 'asset', fileName, source: draw() });
      const publicFiles = readdirSync(publicDir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
      const files = Object.keys(bundle).filter((name) => !name.endsWith('.map') && name !== 'sw.js' && name !== 'index.html');
      const shell = ['/', ...publicFiles.map((name) => `/${name}`), ...Object.keys(ICONS).map((name) => `/${name}`), ...files.map((name) => `/${name}`)];
      const template = readFileSync(new URL('./src/sw-template.js', import.meta.url), 'utf8');
      const hash = createHash('sha256').update(shell.join('\n')).update(template);
      for (const name of publicFiles) hash.update(readFileSync(new URL(name, publicDir)));
      const version = hash.digest('hex').slice(0, 12);
      const source = template
        .replace('__CACHE_NAME__', `dealdesk-shell-${version}`)
        .replace('__SHELL__', JSON.stringify(shell));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  plugins: [react(), serviceWorker()],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  server: {
    proxy: { '/graphql': 'http://127.0.0.1:8090' },
  },
  build: {
    target: 'es2020',
    chunkSizeWarningLimit: 700,
    reportCompressedSize: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
});
