import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestLab } from '../helpers/daemon.ts';

it('a test daemon stops while a browser is still connected (its WebSocket is ended, not waited for)', async () => {
  const lab = await startTestLab();
  const ws = new WebSocket(`${lab.baseUrl.replace('http', 'ws')}/ws`, { origin: lab.baseUrl });
  await new Promise((resolve) => ws.once('open', resolve));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await lab.stop();
  expect(await closed).toBeGreaterThan(0);
});
