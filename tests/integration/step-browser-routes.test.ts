/**
 * Connections a route opens for a page (issue 9 #5): the SOAP HTTP console and the SFTP file
 * panel are filed as the calling browser's (its sandbox and the id its WebSocket said hello with,
 * sent back in BROWSER_HEADER), so another browser's "all in my sandbox" step mode does not hold
 * them, and the page's own step mode does; likewise the FTP client mode's sessions. Real SOAP,
 * SSH and FTP servers, two real /ws browsers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepState } from '../../lib/bus/events.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { soapLab } from '../../servers/soap/lab.ts';
import { soapContracts } from '../../servers/soap/lab/contracts.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { sshContracts } from '../../servers/ssh/lab/contracts.ts';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { ftpContracts } from '../../servers/ftp/lab/contracts.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

async function stepState(browser: TestBrowser, test: (state: StepState) => boolean): Promise<StepState> {
  const event = await browser.events.next((e) => e.type === 'step' && test(e.state), { what: 'a step state' });
  if (event.type !== 'step') throw new Error('unreachable');
  return event.state;
}

/** The browser's id from its hello. */
async function helloId(browser: TestBrowser): Promise<string> {
  const hello = await browser.next((m) => m.type === 'hello');
  if (hello.type !== 'hello') throw new Error('unreachable');
  return hello.browser;
}

describe("routes file the connections they open as the calling browser's", () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab({ labs: [smtpLab, soapLab, sshLab, ftpLab] });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const soapCall = (browser: string) => lab.api(soapContracts.http, { body: { envelope: '<x/>', version: '1.1', operation: 'getYear' }, browser });
  const listing = (browser: string) => lab.api(sshContracts.list, { query: { path: '/' }, browser });
  const ftp = (browser: string, session: string, action: 'open' | 'ls') => lab.api(ftpContracts.client, { body: { session, action }, browser });

  it("another browser's sandbox-scope step mode does not hold them; the browser's own does", async () => {
    const a = await TestBrowser.open(lab);
    const b = await TestBrowser.open(lab);
    const idA = await helloId(a);
    expect(idA).not.toBe(await helloId(b));

    for (const protocol of ['soap', 'ssh', 'ftp'] as const) {
      b.send({ type: 'step.set', protocol, enabled: true, scope: 'sandbox' });
      await stepState(b, (s) => s.protocol === protocol && s.enabled && s.scope === 'sandbox');
    }
    // B holds its whole sandbox, yet A's console request and panel listing run through.
    const first = await soapCall(idA);
    // A complete answer (the service's fault for this envelope), not the console's timeout.
    expect(first.error).toBeUndefined();
    expect(first.status).toBe(500);
    expect((await listing(idA)).entries.length).toBeGreaterThan(0);
    expect(await ftp(idA, 'a1', 'open')).toMatchObject({ ok: true });
    expect(await ftp(idA, 'a1', 'ls')).toMatchObject({ ok: true });

    // A's own step mode holds them, named as A's console and panel.
    a.send({ type: 'step.set', protocol: 'soap', enabled: true, scope: 'own' });
    await stepState(a, (s) => s.protocol === 'soap' && s.enabled);
    const exchange = soapCall(idA);
    const heldSoap = await stepState(a, (s) => s.protocol === 'soap' && s.held > 0);
    expect(heldSoap.next).toMatchObject({ connection: 'SOAP HTTP console', dir: 'client' });
    a.send({ type: 'step.set', protocol: 'soap', enabled: false });
    expect(await exchange).toMatchObject({ status: 500 });
    expect((await exchange).error).toBeUndefined();

    a.send({ type: 'step.set', protocol: 'ssh', enabled: true, scope: 'own' });
    await stepState(a, (s) => s.protocol === 'ssh' && s.enabled);
    const list = listing(idA);
    const heldSsh = await stepState(a, (s) => s.protocol === 'ssh' && s.held > 0);
    expect(heldSsh.next).toMatchObject({ connection: expect.stringMatching(/^sftp file panel/), dir: 'client' });
    a.send({ type: 'step.set', protocol: 'ssh', enabled: false });
    expect((await list).entries.length).toBeGreaterThan(0);

    a.send({ type: 'step.set', protocol: 'ftp', enabled: true, scope: 'own' });
    await stepState(a, (s) => s.protocol === 'ftp' && s.enabled);
    const opening = ftp(idA, 'a2', 'open');
    const heldFtp = await stepState(a, (s) => s.protocol === 'ftp' && s.held > 0);
    expect(heldFtp.next).toMatchObject({ dir: 'server', text: expect.stringMatching(/^220[- ]/) });
    a.send({ type: 'step.set', protocol: 'ftp', enabled: false });
    expect(await opening).toMatchObject({ ok: true });
    // Nothing of A's was ever held for B.
    expect(b.events.items.some((e) => e.type === 'step' && e.state.held > 0)).toBe(false);
    a.close();
    b.close();
  });

  it("files a plain download link's SFTP connection as the browser its query names", async () => {
    const a = await TestBrowser.open(lab);
    const b = await TestBrowser.open(lab);
    const idA = await helloId(a);
    await helloId(b);
    b.send({ type: 'step.set', protocol: 'ssh', enabled: true, scope: 'sandbox' });
    await stepState(b, (s) => s.protocol === 'ssh' && s.enabled && s.scope === 'sandbox');
    // What the page's <a href download> sends: no header, the id in the query (linkUrl).
    const res = await fetch(`${lab.baseUrl}/api/ssh/files/download?path=%2FREADME.txt&browser=${idA}`);
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(0);
    expect(b.events.items.some((e) => e.type === 'step' && e.state.protocol === 'ssh' && e.state.held > 0)).toBe(false);
    // Without the id the download is the sandbox's, and B's step mode holds it.
    const anonymous = fetch(`${lab.baseUrl}/api/ssh/files/download?path=%2FREADME.txt`);
    await stepState(b, (s) => s.protocol === 'ssh' && s.held > 0);
    b.send({ type: 'step.set', protocol: 'ssh', enabled: false });
    expect((await anonymous).status).toBe(200);
    a.close();
    b.close();
  });

  it('refuses a browser header that is not a browser id', async () => {
    const res = await fetch(`${lab.baseUrl}/api/ssh/files?path=/`, { headers: { 'x-lab-browser': 'not an id!' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/x-lab-browser/);
  });
});
