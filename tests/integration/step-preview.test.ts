import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StepState } from '../../lib/bus/events.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

/** The next step state the bus announces that passes `test` (subscribe before causing it). */
const nextStepState = async (test: (state: StepState) => boolean): Promise<StepState> => (await nextEvent(lab.daemon.bus, 'step', (e) => test(e.state))).state;

it('step mode says which connection, which direction and what is held', async () => {
  await lab.api('/api/step/smtp', { body: { enabled: true } });
  const greeting = nextStepState((s) => s.next?.dir === 'server');
  const client = await LineClient.connect(lab.port('smtp'));
  const held = await greeting;
  expect(held.next?.text).toMatch(/^220 /);
  expect(held.next?.connection).toBe(`127.0.0.1:${client.socket.localPort}`);

  await lab.api('/api/step/smtp', { body: { action: 'next' } });
  await client.waitFor(/^220 /m);
  const command = nextStepState((s) => s.next?.dir === 'client');
  client.send('EHLO held.example');
  expect((await command).next).toMatchObject({ dir: 'client', text: 'EHLO held.example', conn: held.next?.conn });

  await lab.api('/api/step/smtp', { body: { enabled: false } });
  await client.waitFor(/^250 /m);
  expect((await lab.api<{ step: StepState[] }>('/api/step')).step[0].next).toBeUndefined();
  client.close();
});
