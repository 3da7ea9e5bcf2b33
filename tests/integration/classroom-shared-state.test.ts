/**
 * Issue 15: what a lab's API changes is either one server every sandbox shares — then only the
 * machine owner's sandbox may change it and a student is told why in words (403) — or the caller's
 * own sandbox's, and another student never sees it. Two students and the owner, over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { gatewayLab } from '../../servers/gateway/lab.ts';
import { policyLab } from '../../servers/policy/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { createSoapLab, type SoapRunningLab } from '../../servers/soap/lab.ts';
import type { CorrelationRow } from '../../servers/soap/lab/mail-client.ts';
import { zmqLab } from '../../servers/zmq/lab.ts';
import type { MailSummary } from '../../lib/bus/events.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { callAs, openStudent, type Student } from '../helpers/student.ts';

let lab: TestLab;
let a: Student;
let b: Student;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, ftpLab, createSoapLab({ thinkTime: () => 0, timeoutMs: 10_000 }), zmqLab, policyLab, gatewayLab] });
  a = await openStudent(lab);
  b = await openStudent(lab);
});
afterAll(async () => {
  await lab?.stop();
});

/** The machine owner's browser: on this machine, without a sandbox cookie. */
const owner = <T = unknown>(pathname: string, init?: { method?: string; body?: unknown }) => callAs<T>(lab, undefined, pathname, init);
const SHARED_REFUSAL = /shared by every sandbox: only the machine owner \(the teacher\) changes it\.$/;

describe('one server every sandbox shares: only the machine owner changes it', () => {
  it("ZeroMQ: the REP's think time", async () => {
    expect((await owner('/api/zmq/think', { body: { ms: 250 } })).body).toEqual({ thinkMs: 250 });
    const refused = await a.call<{ error: string }>('/api/zmq/think', { body: { ms: 0 } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/^The ZeroMQ REP's think time is /);
    expect(refused.body.error).toMatch(SHARED_REFUSAL);
    // Nothing changed for anyone.
    expect((await b.call<{ zmq: { thinkMs: number } }>('/api/lab')).body.zmq.thinkMs).toBe(250);
    const set = await owner<{ thinkMs: number }>('/api/zmq/think', { body: { ms: 0 } });
    expect([set.status, set.body.thinkMs]).toEqual([200, 0]);
  });
});

describe("the caller's own sandbox: another student does not see the change", () => {
  it("FTP: the simulated client firewall is each sandbox's own", async () => {
    const on = await b.call<{ firewall: boolean }>('/api/ftp/firewall', { body: { enabled: true } });
    expect([on.status, on.body.firewall]).toEqual([200, true]);
    expect((await b.call<{ firewall: boolean }>('/api/ftp/status')).body.firewall).toBe(true);
    expect((await a.call<{ firewall: boolean }>('/api/ftp/status')).body.firewall).toBe(false);
    expect((await owner<{ firewall: boolean }>('/api/ftp/status')).body.firewall).toBe(false);
    expect((await b.call<{ firewall: boolean }>('/api/ftp/firewall', { body: { enabled: false } })).body.firewall).toBe(false);
  });

  it('access control: Sync puts a version in force for the syncing sandbox only', async () => {
    const synced = await a.call<{ catalogue: { version: string; revision: number }; diff: { added: string[] } }>('/api/access/sync', { body: { version: 'v2' } });
    expect(synced.status).toBe(200);
    expect(synced.body.catalogue).toMatchObject({ version: 'v2', revision: 2 });
    expect(synced.body.diff.added).toContain('library.renew');
    for (const other of [b.call.bind(b), owner]) {
      expect((await other<{ version: string; revision: number }>('/api/access/catalogue')).body).toMatchObject({ version: 'v1', revision: 1 });
    }
    expect((await a.call<{ gateway: { version: string } }>('/api/lab')).body.gateway.version).toBe('v2');
    expect((await b.call<{ gateway: { version: string } }>('/api/lab')).body.gateway.version).toBe('v1');

    // The service host routes each sandbox's requests by its own catalogue: v2's renewal is a service for A (in no feature yet: 403), none for B (404).
    const renew = { method: 'POST', path: '/api/library/loans/1/renewal', user: 'alice' };
    const inA = await a.call<{ status: number; response: string }>('/api/access/request', { body: renew });
    const inB = await b.call<{ status: number; response: string }>('/api/access/request', { body: renew });
    expect([inA.status, inA.body.status, inB.status, inB.body.status]).toEqual([200, 403, 200, 404]);
    expect(inA.body.response).toMatch(/No feature includes it/);
    expect(inB.body.response).toMatch(/No such service/);
  });

  it("SOAP over SMTP: a sandbox's requests, answers and correlation table are its own", async () => {
    const soapLab = lab.daemon.labs.find((l) => l.protocol === 'soap') as SoapRunningLab;
    const mailA = `${a.sandbox}.lab.test`;
    expect((await a.call<{ soap: { mail: { service: string; client: string } } }>('/api/lab')).body.soap.mail).toMatchObject({ service: `calendar@${mailA}`, client: `student@${mailA}` });

    // Registered before sending: the answer may come back before the POST returns. A's client is new, so any answer is A's.
    const answered = new Promise<CorrelationRow>((resolve) => {
      const on = (row: CorrelationRow) => row.answer?.result !== undefined && row.state === 'answered' && (soapLab.mailClients.of(a.sandbox).events.off('update', on), resolve(row));
      soapLab.mailClients.of(a.sandbox).events.on('update', on);
    });
    const sent = await a.call<{ rows: CorrelationRow[] }>('/api/soap/mail', { body: { requests: [{ year: 2003, month: 1 }] } });
    expect(sent.status).toBe(200);
    const row = await answered;
    expect(row.messageId).toBe(sent.body.rows[0].messageId);

    // Only A's table has the row; the answer is in A's mailbox, addressed to A's domain, and nowhere else.
    expect((await a.call<{ rows: CorrelationRow[] }>('/api/soap/mail')).body.rows.map((r) => r.messageId)).toEqual([row.messageId]);
    expect((await b.call<{ rows: CorrelationRow[] }>('/api/soap/mail')).body.rows).toEqual([]);
    expect((await owner<{ rows: CorrelationRow[] }>('/api/soap/mail')).body.rows.map((r) => r.messageId)).not.toContain(row.messageId);
    const answersIn = async (call: Student['call']) => (await call<{ messages: MailSummary[] }>('/api/mailbox')).body.messages.filter((m) => m.inReplyTo === row.messageId);
    expect((await answersIn(a.call.bind(a))).map((m) => m.to)).toEqual([[`student@${mailA}`]]);
    expect(await answersIn(b.call.bind(b))).toEqual([]);
    expect(await answersIn(owner)).toEqual([]);
    // The SMTP sessions that carried them are A's transcripts, not B's.
    expect((await a.call(`/api/connections/${row.requestConn}`)).status).toBe(200);
    expect((await b.call(`/api/connections/${row.requestConn}`)).status).toBe(404);

    // Clearing A's table leaves B's alone.
    const bSent = await b.call<{ rows: CorrelationRow[] }>('/api/soap/mail', { body: { requests: [{ year: 2004, month: 2, delayMs: 10_000 }] } });
    expect((await a.call('/api/soap/mail', { method: 'DELETE' })).status).toBe(200);
    expect((await a.call<{ rows: CorrelationRow[] }>('/api/soap/mail')).body.rows).toEqual([]);
    expect((await b.call<{ rows: CorrelationRow[] }>('/api/soap/mail')).body.rows.map((r) => r.messageId)).toEqual([bSent.body.rows[0].messageId]);
  });

  it("FTP: a transfer's id and progress are the uploading sandbox's", async () => {
    const upload = async (student: Student, id: string, data: string) => {
      const res = await fetch(`${lab.baseUrl}/api/ftp/upload?${new URLSearchParams({ name: `${id}.txt`, transfer: id })}`, {
        method: 'POST',
        headers: { cookie: student.cookie, origin: lab.baseUrl, 'content-type': 'application/octet-stream' },
        body: data,
      });
      return { status: res.status, body: (await res.json()) as { transfer: string; bytes: number } };
    };
    const mine = await upload(a, 'shared-id', 'from A');
    expect([mine.status, mine.body.transfer, mine.body.bytes]).toEqual([200, 'shared-id', 6]);
    expect((await a.call<{ name: string }>('/api/ftp/transfers/shared-id')).body).toMatchObject({ name: 'shared-id.txt', done: true });
    expect((await b.call('/api/ftp/transfers/shared-id')).status).toBe(404);
    // B may use the same id: it names B's own transfer.
    const theirs = await upload(b, 'shared-id', 'from B, longer');
    expect([theirs.status, theirs.body.bytes]).toEqual([200, 14]);
    expect((await a.call<{ bytes: number }>('/api/ftp/transfers/shared-id')).body.bytes).toBe(6);
  });

  it("WS-Policy: the provider's published policy and the client's set are the sandbox's", async () => {
    type State = { provider: { settings: { rm: string } }; client: { mode: string } };
    expect((await a.call<State>('/api/policy/provider', { body: { rm: 'none' } })).body.provider.settings.rm).toBe('none');
    expect((await a.call<State>('/api/policy/client', { body: { mode: 'strict' } })).body.client.mode).toBe('strict');
    for (const other of [b.call.bind(b), owner]) {
      const state = (await other<State>('/api/policy/state')).body;
      expect([state.provider.settings.rm, state.client.mode]).toEqual(['both', 'lax']);
    }
  });

  it("ZeroMQ: the lab's PULL workers are the sandbox's", async () => {
    expect((await a.call<{ workers: unknown[] }>('/api/zmq/workers', { body: { count: 1 } })).body.workers).toHaveLength(1);
    expect((await b.call<{ workers: unknown[] }>('/api/zmq/workers')).body.workers).toEqual([]);
    expect((await a.call<{ workers: unknown[] }>('/api/zmq/workers', { body: { count: 0 } })).body.workers).toEqual([]);
  });
});
