/// <reference lib="webworker" />
// The service worker: precaches the built app (and DuckDB-WASM, parquet-wasm) so it works offline
// after one visit, and answers every request with the app's Content-Security-Policy and the
// cross-origin isolation headers: offline, and on a static host that sends neither, the page it
// serves is still isolated, so DuckDB-WASM runs its threaded build.
import { clientsClaim } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CONTENT_SECURITY_POLICY, CROSS_ORIGIN_ISOLATION_HEADERS } from './content-security-policy.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<string | { url: string; revision: string | null }> };

void self.skipWaiting();
clientsClaim();

addPlugins([{
  // cached responses keep the headers they were fetched with: give each the policy itself
  handlerWillRespond: async ({ response }) => {
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  },
}]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
