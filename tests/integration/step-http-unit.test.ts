/**
 * Step mode on an HTTP lab holds a whole HTTP message as one unit (lib/wire/gate.ts): the start line,
 * every header and the body wait behind one hold, and one Step releases all of it — as the page says
 * ("the held message") and as Edit already treats it. A real client (curl) posts a SOAP request.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepState } from '../../lib/bus/events.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { soapLab } from '../../servers/soap/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, soapLab] });
});
afterAll(async () => {
  await lab?.stop();
});

const CAL = 'http://lab.test/soap/calendar';
const ENVELOPE = `<?xml version="1.0"?>\n<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:c="${CAL}">\n  <s:Body>\n    <c:getMonth><c:year>2005</c:year><c:month>1</c:month></c:getMonth>\n  </s:Body>\n</s:Envelope>\n`;

const step = (body: Record<string, unknown>) => lab.api<StepState>('/api/step/soap', { body });

/** The next step state whose held message is `dir`'s and can be edited (all of it has arrived). Subscribe before causing it. */
const nextWhole = (dir: 'client' | 'server', start: RegExp) =>
  nextEvent(lab.daemon.bus, 'step', (e) => e.state.protocol === 'soap' && e.state.next?.dir === dir && start.test(e.state.next.text) && e.state.next.editable === true).then((e) => e.state);

describe('step mode holds an HTTP message as one unit', () => {
  it('curl\'s SOAP request is one held message, released whole by one Step; so is the response', async () => {
    await step({ enabled: true });
    try {
      const request = nextWhole('client', /^POST \/soap\/calendar HTTP\/1\.1$/);
      const curl = new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(tool('curl'), ['-sS', '--max-time', '30', '-w', '\n%{http_code}', `http://127.0.0.1:${lab.port('soap')}/soap/calendar`, '-H', `Content-Type: application/soap+xml; charset=utf-8; action="${CAL}/getMonth"`, '--data-binary', ENVELOPE], (err, stdout) =>
          resolve({ code: err ? 1 : 0, stdout }),
        );
      });
      // Start line, headers, blank line and body have all arrived: still one held message.
      const held = await request;
      expect(held.held).toBe(1);
      expect(held.next?.full).toContain('<c:month>1</c:month>');

      // One Step: the server gets the whole request and answers; its response is held whole in turn.
      const response = nextWhole('server', /^HTTP\/1\.1 200 /);
      const afterRequest = await step({ action: 'next' });
      expect(afterRequest.next?.dir).not.toBe('client');
      const answer = await response;
      expect(answer.held).toBe(1);

      // One more Step and curl has the whole answer.
      await step({ action: 'next' });
      const { code, stdout } = await curl;
      expect(code).toBe(0);
      expect(stdout).toContain('January 2005');
      expect(stdout.trim().split('\n').at(-1)).toBe('200');
    } finally {
      await step({ enabled: false });
    }
  });
});
