// Dealdesk service worker (generated at build time from src/sw-template.js):
// precaches the app shell so the app opens without a network; GraphQL is
// never cached here (the outbox owns writes, urql owns reads).
const CACHE = '__CACHE_NAME__';
const SHELL = __SHELL__;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('dealdesk-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/graphql') || url.pathname.startsWith('/healthz') || url.pathname.startsWith('/readyz')) return;
  if (request.mode === 'navigate') {
    // Network first so a new version shows at once; the cached shell when offline.
    event.respondWith(fetch(request).catch(() => caches.match('/').then((cached) => cached || Response.error())));
    return;
  }
  event.respondWith(
    caches.match(request).then(
      (cached) =>
        cached ||
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith('/assets/')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
