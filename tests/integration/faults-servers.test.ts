/**
 * Scripted faults carried out by the labs' own servers (issue 13), each with a real client: the SSH
 * host key change (ssh2 client, and the Failures tab's button shares the action), the SOAP Receiver
 * fault (curl), the WS-Policy provider dropping RM 1.0 (the lab's policy client), and the
 * access-control host revoking a subscription at step N (curl). Every one is marked in the transcript.
 */
import { execFile } from 'node:child_process';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { faultContracts } from '../../lib/http/fault-contracts.ts';
import { policyContracts as pc } from '../../servers/policy/lab/contracts.ts';
import { sshContracts } from '../../servers/ssh/lab/contracts.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { curl as gatewayCurl } from './gateway-helpers.ts';
import { MessageLog, setFault } from './faults-helpers.ts';
import { connectClient, tapSocket } from './ssh-helpers.ts';

let lab: TestLab;
let log: MessageLog;
beforeAll(async () => {
  lab = await startTestLab();
  log = new MessageLog(lab.daemon.bus);
});
afterAll(async () => {
  log?.dispose();
  await lab?.stop();
});

/** Connects with ssh2 through the tap and returns the host key's SHA-256 the server presented. */
async function hostKeyOfNextConnection(): Promise<string> {
  const sock = await tapSocket(lab);
  const client = new ssh2.Client();
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({
      sock,
      username: 'student',
      password: TEST_PASSWORD,
      hostVerifier: (key: Buffer) => {
        seen = createHash('sha256').update(key).digest('base64');
        return true;
      },
    });
  });
  client.end();
  return seen;
}

/** curl POSTs a getMonth envelope to the Calendar service; returns status and body. */
function soapCall(version: '1.1' | '1.2'): Promise<{ status: number; body: string }> {
  const ns = version === '1.1' ? 'http://schemas.xmlsoap.org/soap/envelope/' : 'http://www.w3.org/2003/05/soap-envelope';
  const envelope = `<?xml version="1.0"?><s:Envelope xmlns:s="${ns}" xmlns:c="http://lab.test/soap/calendar"><s:Body><c:getMonth><c:year>2003</c:year><c:month>1</c:month></c:getMonth></s:Body></s:Envelope>`;
  const headers =
    version === '1.1'
      ? ['-H', 'Content-Type: text/xml; charset=utf-8', '-H', 'SOAPAction: "http://lab.test/soap/calendar/getMonth"']
      : ['-H', 'Content-Type: application/soap+xml; charset=utf-8; action="http://lab.test/soap/calendar/getMonth"'];
  return new Promise((resolve, reject) => {
    const child = execFile(tool('curl'), ['-s', '-m', '20', '-w', '\n%{http_code}', ...headers, '--data-binary', '@-', `http://127.0.0.1:${lab.port('soap')}/soap/calendar`], { encoding: 'utf8' }, (err, out) => {
      if (err) return reject(err);
      const at = out.lastIndexOf('\n');
      resolve({ status: Number(out.slice(at + 1)), body: out.slice(0, at) });
    });
    child.stdin?.end(envelope);
  });
}

describe('server-side scripted faults', () => {
  it('ssh.hostkey-change: the next connection meets a new host key (once with times=1), marked in its transcript; the Failures tab button is the same action', async () => {
    const before = await hostKeyOfNextConnection();
    await setFault(lab, { rule: 'ssh.hostkey-change', enabled: true, times: 1 });
    const after = await hostKeyOfNextConnection();
    expect(after).not.toBe(before);
    const note = await log.find((m) => m.injected?.rule === 'ssh.hostkey-change', 'the host key note');
    expect(note.text).toMatch(/^The lab gave the server new host keys before this connection: ssh-ed25519 SHA256:/);
    expect(note.annotation?.title).toBe('injected by the lab: The SSH host key changes');
    // times=1: the connection after keeps the new key.
    expect(await hostKeyOfNextConnection()).toBe(after);
    // The Failures tab's button rotates through the same action.
    await lab.api(sshContracts.rotateHostKey);
    expect(await hostKeyOfNextConnection()).not.toBe(after);
    // For one connection: refused as step mode refuses it when there is no such open connection, and by the rule itself when there is.
    await expect(setFault(lab, { rule: 'ssh.hostkey-change', enabled: true, scope: 'connection', conn: 'ssh-x' })).rejects.toThrow(/400.*No open SSH connection ssh-x in your sandbox/);
    const { client, localPort } = await connectClient(lab);
    try {
      const { connections } = (await (await fetch(`${lab.baseUrl}/api/connections?protocol=ssh&limit=50`)).json()) as { connections: { id: string; client: string }[] };
      const conn = connections.find((c) => c.client === `127.0.0.1:${localPort}`)?.id ?? '';
      await expect(setFault(lab, { rule: 'ssh.hostkey-change', enabled: true, scope: 'connection', conn })).rejects.toThrow(/400.*arm it for the sandbox/);
    } finally {
      client.end();
    }
  });

  it('soap.receiver-fault: the next call gets a Receiver fault (1.2) / soap:Server (1.1) with HTTP 500, then the service answers again', async () => {
    await setFault(lab, { rule: 'soap.receiver-fault', enabled: true, times: 2 });
    const twelve = await soapCall('1.2');
    expect(twelve.status).toBe(500);
    expect(twelve.body).toContain('<soap:Value>soap:Receiver</soap:Value>');
    const eleven = await soapCall('1.1');
    expect(eleven.status).toBe(500);
    expect(eleven.body).toContain('<faultcode>soap:Server</faultcode>');
    const served = await soapCall('1.2');
    expect(served.status).toBe(200);
    expect(served.body).toContain('getMonthResponse');
    // The notes take their place behind the request lines the dissect thread is still reading: wait for the second.
    await log.find((m) => m.injected?.rule === 'soap.receiver-fault' && m.text.includes('soap:Server'), 'the 1.1 call’s note');
    const notes = log.messages.filter((m) => m.injected?.rule === 'soap.receiver-fault');
    expect(notes.map((m) => m.text)).toEqual([
      'The lab answers this call with a soap:Receiver fault instead of running the service.',
      'The lab answers this call with a soap:Server fault instead of running the service.',
    ]);
    expect(notes[0].annotation?.key).toBe('fault.soap.receiver-fault');
  });

  it('policy.drop-rm10: a client that speaks only RM 1.0 faults, refreshes and stops; disarming puts RM 1.0 back', async () => {
    await lab.api(pc.provider, { body: { addressing: true, rm: 'both', empty: false } });
    await lab.api(pc.client, { body: { addressing: true, rm: ['1.0'], mtom: false, logging: false, mode: 'lax', via: 'get', dispatch: false } });
    const cached = await lab.api(pc.fetch, { body: { via: 'get' } });
    expect(cached.computation?.operations.find((o) => o.operation === 'placeOrder')?.chosen?.rm).toBe('1.0');

    await setFault(lab, { rule: 'policy.drop-rm10', enabled: true });
    expect((await lab.api(pc.state)).provider.settings.rm).toBe('1.1');
    const reply = await lab.api(pc.call, { body: { operation: 'placeOrder', args: {} } });
    expect(reply.ok).toBe(false);
    expect(reply.ladder.map((r) => r.kind)).toEqual(['fault', 'refresh', 'fetch', 'stop']);
    const marked = log.messages.filter((m) => m.injected?.rule === 'policy.drop-rm10');
    expect(marked.length).toBeGreaterThanOrEqual(2);
    expect(marked[0].text).toBe('The provider serves this request without RM 1.0 (its policy offers RM 1.1 now).');

    await setFault(lab, { rule: 'policy.drop-rm10', enabled: false });
    expect((await lab.api(pc.state)).provider.settings.rm).toBe('both');
  });

  it('gateway.revoke-at-step: the 3rd request finds its subscription suspended and is denied (403), marked in the transcript', async () => {
    const bob = { user: 'bob' };
    await setFault(lab, { rule: 'gateway.revoke-at-step', enabled: true, times: 1, param: 3 });
    expect((await gatewayCurl(lab, 'GET', '/api/library/books', bob)).status).toBe(200);
    expect((await gatewayCurl(lab, 'GET', '/api/library/books', bob)).status).toBe(200);
    const third = await gatewayCurl(lab, 'GET', '/api/library/books', bob);
    expect(third.status).toBe(403);
    expect(third.body).toMatch(/suspended/);
    const note = await log.find((m) => m.injected?.rule === 'gateway.revoke-at-step', 'the revoke note');
    expect(note.text).toMatch(/^Request 3 of this sandbox: the lab suspended the community's subscription to basic before the decision\.$/);
    expect((await lab.api(faultContracts.faults, { query: { lab: 'gateway' } })).armed).toEqual([]);
  });
});
