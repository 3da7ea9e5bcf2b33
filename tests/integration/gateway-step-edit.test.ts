/**
 * Hold-edit-release on the access-control gateway (walk C #2): after a request edited in step mode, the
 * service's answer is still read as HTTP. Each message of that answer used to be read again alone, as the
 * reply to an edited command is in SMTP, and a header line alone is "Not HTTP".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepState } from '../../lib/bus/events.ts';
import { coreContracts } from '../../lib/http/core-contracts.ts';
import { gatewayLab } from '../../servers/gateway/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { soapLab } from '../../servers/soap/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { MessageLog } from './faults-helpers.ts';
import { curl } from './gateway-helpers.ts';

let lab: TestLab;
let log: MessageLog;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, soapLab, gatewayLab] });
  log = new MessageLog(lab.daemon.bus);
});
afterAll(async () => {
  log?.dispose();
  await lab?.stop();
});

const step = (body: { enabled?: boolean; action?: 'edit'; text?: string }) => lab.api(coreContracts.setStep, { params: { protocol: 'gateway' }, body });
const heldState = (test: (state: StepState) => boolean) =>
  nextEvent(lab.daemon.bus, 'step', (e) => e.holder === 'http' && e.state.protocol === 'gateway' && test(e.state)).then((e) => e.state);

describe('the gateway’s answer to an edited request', () => {
  it('is dissected as HTTP: status line, header fields, body — none "Not HTTP"', async () => {
    await step({ enabled: true });
    try {
      const held = heldState((s) => s.next?.editable === true && (s.next.full ?? '').includes('"isbn"'));
      const reply = curl(lab, 'POST', '/api/library/loans', { user: 'bob' }, { type: 'application/json', text: '{"isbn":"9780132126953"}' });
      const { next } = await held;
      if (!next?.full) throw new Error('nothing editable held');
      await step({ action: 'edit', text: next.full.replace('"isbn"', '"note":"edited","isbn"') });
      await step({ enabled: false });
      expect((await reply).status).toBe(403);

      const conn = next.conn;
      const edited = await log.find((m) => m.conn === conn && m.edited !== undefined, 'the edited request');
      expect(edited.kind).toBe('request-line');
      await log.find((m) => m.conn === conn && m.dir === 'server' && m.kind === 'body', 'the answer’s body');
      const answer = log.of(conn).filter((m) => m.dir === 'server');
      const blank = answer.findIndex((m) => m.kind === 'blank');
      expect(answer[0].kind).toBe('status-line');
      // Every line between the status line and the blank line is a header field (it was "Not HTTP").
      expect(answer.slice(1, blank).map((m) => [m.text, m.kind, m.annotation?.key === 'http.not-http'])).toEqual(answer.slice(1, blank).map((m) => [m.text, 'header', false]));
      expect(blank).toBeGreaterThan(2);
      expect(answer[blank].annotation?.key).toBe('http.header-end');
      expect(answer.find((m) => /^content-type:/i.test(m.text))?.annotation?.key).toBe('api.http.header.Content-Type');
    } finally {
      await step({ enabled: false });
    }
  });
});
