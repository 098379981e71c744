/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Writes `sw.js` next to index.html with the list of built files to precache,
 * so the app shell opens offline after one visit. The cache name carries a
 * hash of that list: a new build replaces the old cache on activation.
 */
function serviceWorker(): Plugin {
  return {
    name: 'dealdesk-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => !name.endsWith('.map') && name !== 'sw.js');
      const shell = ['/', '/manifest.webmanifest', '/icon.svg', ...files.map((name) => `/${name}`)];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const template = readFileSync(new URL('./src/sw-template.js', import.meta.url), 'utf8');
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
