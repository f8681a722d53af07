// Hashes stored data files away from the page's main thread (./storage.ts starts it): Chromium's
// crypto.subtle.digest holds the calling thread for about 4 ms per MB.
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<{ id: number; blob: Blob }>) => {
  const { id, blob } = event.data;
  try {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    scope.postMessage({ id, key: `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}` });
  } catch {
    scope.postMessage({ id, key: null });
  }
};
