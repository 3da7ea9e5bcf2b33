/**
 * The service host's front door (issue 8 #3, #6, #13): foreign Host names, no internal port (issue 9:
 * the tap hands the host its connections in process), slow clients, and the lab's own clients kept apart from them.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoapLab, type SoapRunningLab } from '../../servers/soap/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { sendThroughTap } from '../../servers/soap/lab/http-client.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { listeningPorts } from '../helpers/listening.ts';

let lab: TestLab;
let soapLab: SoapRunningLab;
let port: number;

beforeAll(async () => {
  lab = await startTestLab({
    labs: [smtpLab, createSoapLab({ thinkTime: () => 0, timeoutMs: 5_000, headerTimeoutMs: 400, bodyTimeoutMs: 400 })],
    config: { allowedHosts: ['lab.example'] },
  });
  soapLab = lab.daemon.labs.find((l) => l.protocol === 'soap') as SoapRunningLab;
  port = lab.port('soap');
});
afterAll(async () => {
  await lab?.stop();
});

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const CAL = 'http://lab.test/soap/calendar';
const ENVELOPE = `<?xml version="1.0"?><s:Envelope xmlns:s="${S11}" xmlns:c="${CAL}"><s:Body><c:getMonth><c:year>2003</c:year><c:month>1</c:month></c:getMonth></s:Body></s:Envelope>`;

/** One request with exactly the Host we choose (fetch would not let us), over `setHost: false` when none. */
function request(options: { host?: string; method?: string; path?: string; body?: string; port?: number }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.body ? { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${CAL}/getMonth"` } : {};
    if (options.host !== undefined) headers.Host = options.host;
    const req = http.request(
      { host: '127.0.0.1', port: options.port ?? port, method: options.method ?? 'GET', path: options.path ?? '/soap/calendar?wsdl', headers, setHost: options.host !== undefined, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Writes raw bytes to a port and collects everything until the peer closes. */
function rawExchange(targetPort: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(targetPort, '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (got += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(got));
  });
}

describe('SOAP host: Host names (DNS rebinding)', () => {
  it.each(['evil.example', `evil.example:${0}`, 'localhost.evil.example', '127.0.0.1.nip.io'])('refuses Host %s with 421 before the WSDL is written', async (name) => {
    const host = name.replace(':0', `:${port}`);
    const r = await request({ host });
    expect(r.status).toBe(421);
    expect(r.text).not.toContain('definitions');
    expect(r.text).not.toContain('evil.example/soap');
  });

  it('refuses a POST with a foreign Host before the service runs', async () => {
    const r = await request({ host: `evil.example:${port}`, method: 'POST', path: '/soap/calendar', body: ENVELOPE });
    expect(r.status).toBe(421);
    expect(r.text).not.toContain('January');
    expect(r.text).toContain('LAB_ALLOWED_HOSTS');
  });

  it('refuses an HTTP/1.0 request without Host instead of guessing a name for the WSDL', async () => {
    const reply = await rawExchange(port, 'GET /soap/calendar?wsdl HTTP/1.0\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 421 /);
    expect(reply).not.toContain('definitions');
  });

  it.each([
    ['localhost', 'localhost'],
    ['localhost:1', 'localhost'],
    [`127.0.0.1:${0}`, '127.0.0.1'],
    ['[::1]:9', '[::1]'],
    ['lab.example', 'lab.example'],
  ])('answers Host %s with the public port in soap:address', async (hostHeader, name) => {
    const r = await request({ host: hostHeader.replace(':0', `:${port}`) });
    expect(r.status).toBe(200);
    const locations = [...r.text.matchAll(/address location="([^"]+)"/g)].map((m) => m[1]);
    expect(locations).toEqual([`http://${name}:${port}/soap/calendar`, `http://${name}:${port}/soap/calendar`]);
  });
});

describe('SOAP host: only the tap reaches it', () => {
  it('has no internal port: the process listens only on the public SOAP and SMTP ports and the web port', () => {
    expect(soapLab.tap.targetPort).toBe(0);
    expect(listeningPorts()).toEqual([port, lab.port('smtp'), Number(new URL(lab.baseUrl).port)].sort((a, b) => a - b));
  });

  it('still answers through the tap', async () => {
    const r = await request({ host: `127.0.0.1:${port}`, method: 'POST', path: '/soap/calendar', body: ENVELOPE });
    expect(r.status).toBe(200);
    expect(r.text).toContain('January 2003');
  });
});

describe('SOAP host: slow clients', () => {
  it('closes a client that never finishes its headers with 408, but not the lab’s own client', async () => {
    // The lab's own connection opens first: had it a deadline, it would expire before the stranger's.
    const own = soapLab.tap.connectOwnClient('test own client');
    await own.accepted;
    own.socket.write('POST /soap/calendar HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const slow = await rawExchange(port, 'POST /soap/calendar HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(slow).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(own.socket.destroyed).toBe(false);
    const answer = new Promise<string>((resolve) => {
      let got = '';
      own.socket.setEncoding('utf8');
      own.socket.on('data', (chunk: string) => (got += chunk));
      own.socket.on('close', () => resolve(got));
    });
    own.socket.write(`Content-Type: text/xml\r\nSOAPAction: "${CAL}/getMonth"\r\nContent-Length: ${Buffer.byteLength(ENVELOPE)}\r\nConnection: close\r\n\r\n${ENVELOPE}`);
    expect(await answer).toContain('January 2003');
  });

  it('closes a client that stalls in the middle of its body with 408, naming the Content-Length it waited for', async () => {
    // Content-Length larger than the body sent: a classic slip when typing HTTP by hand (RFC 9110 §15.5.9).
    const reply = await rawExchange(port, `POST /soap/calendar HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n<s:Envelope`);
    expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(reply).toContain('did not arrive in full');
    expect(reply).toContain('Content-Length: 500');
  });
});

describe('SOAP host: a flood of slow clients', () => {
  // The slots must all be taken when the 51st client arrives, so the first slow client may not be
  // closed before then: under load the tap took longer than 400 ms to accept 51 connections, no one
  // was refused, and the test waited for a refusal that could not come. A deadline the flood fits in.
  let flood: TestLab;
  let floodPort: number;
  beforeAll(async () => {
    flood = await startTestLab({ labs: [smtpLab, createSoapLab({ thinkTime: () => 0, timeoutMs: 5_000, headerTimeoutMs: 3_000, bodyTimeoutMs: 3_000 })] });
    floodPort = flood.port('soap');
  });
  afterAll(async () => {
    await flood?.stop();
  });

  it('keeps answering the lab’s own HTTP console while slow clients fill every external slot', async () => {
    const sockets: net.Socket[] = [];
    // Client addresses of the connections the tap took (not refused), and of those it has recorded closed.
    const taken = new Set<string>();
    const tapClosed = new Set<string>();
    let onTapClose = () => {};
    const unsubscribe = flood.daemon.bus.subscribe((event) => {
      if (event.type !== 'connection.close') return;
      tapClosed.add(event.connection.client);
      onTapClose();
    });
    let refused = 0;
    const firstRefusal = new Promise<void>((resolve) => {
      for (let i = 0; i < 60; i++) {
        const socket = net.connect(floodPort, '127.0.0.1', () => {
          taken.add(`127.0.0.1:${socket.localPort}`);
          socket.write('POST /soap/calendar HTTP/1.1\r\n');
        });
        socket.setEncoding('utf8');
        socket.on('error', () => {});
        socket.on('data', (chunk: string) => {
          if (chunk.startsWith('HTTP/1.1 503')) {
            taken.delete(`127.0.0.1:${socket.localPort}`);
            refused++;
            resolve();
          }
        });
        sockets.push(socket);
      }
    });
    const closed = Promise.all(sockets.map((s) => new Promise((resolve) => s.once('close', resolve))));
    // The tap accepts in order: once one is refused, the external slots are all taken.
    await firstRefusal;
    expect(refused).toBeGreaterThan(0);
    const exchange = await flood.api<{ status: number; response: string }>('/api/soap/http', { body: { envelope: ENVELOPE, version: '1.1' } });
    expect(exchange.status).toBe(200);
    expect(exchange.response).toContain('January 2003');
    // And the slow ones do not hold their slots: the host closes every one of them.
    await closed;
    // This side sees its close a moment before the tap counts the connection gone (once both its sides have closed).
    await new Promise<void>((resolve) => {
      onTapClose = () => [...taken].every((client) => tapClosed.has(client)) && resolve();
      onTapClose();
    });
    unsubscribe();
    const after = await request({ port: floodPort, host: `127.0.0.1:${floodPort}`, method: 'POST', path: '/soap/calendar', body: ENVELOPE });
    expect(after.status).toBe(200);
  });
});

describe("the lab's own HTTP client in step mode", () => {
  it('does not give up while step mode holds its exchange: its timeout counts only unheld time', async () => {
    const holder = { id: 'browser-step-test', sandbox: lab.daemon.config.sandbox };
    const owner = { sandbox: holder.sandbox, browser: holder.id };
    const tap = soapLab.tap;
    tap.step.set(holder, true, { kind: 'own' });
    let done = false;
    const exchange = sendThroughTap(tap, `POST /soap/calendar HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nSOAPAction: "${CAL}/getMonth"\r\nContent-Length: ${Buffer.byteLength(ENVELOPE)}\r\nConnection: close\r\n\r\n${ENVELOPE}`, owner, 200).then((r) => {
      done = true;
      return r;
    });
    // Held at the tap for five timeouts' worth: a class thinking over a question.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(done).toBe(false);
    expect(tap.step.state(holder)).toMatchObject({ enabled: true });
    tap.step.set(holder, false);
    const result = await exchange;
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.response).toContain('January 2003');
  });
});
