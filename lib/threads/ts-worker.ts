import { Worker } from 'node:worker_threads';

// A worker's module is TypeScript: under `node --import tsx` it inherits the loader; elsewhere
// (vitest's workers) it registers tsx first. A retry needs a fresh URL: a failed import is cached.
const bootstrap = (url: string) => `
const url = ${JSON.stringify(url)};
import(url).catch(async (err) => {
  if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  const { register } = await import('tsx/esm/api');
  register();
  await import(url + '?tsx');
});`;

/**
 * Starts a worker thread on one of lib's TypeScript modules (`new URL('./x-worker.ts', import.meta.url)`),
 * unref'd: a worker is never what keeps the process alive, its owner closes it.
 */
export function startTsWorker(module: URL, workerData: unknown): Worker {
  const worker = new Worker(bootstrap(module.href), { eval: true, workerData });
  worker.unref();
  return worker;
}
