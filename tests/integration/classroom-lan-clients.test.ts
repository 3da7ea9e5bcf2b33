/**
 * Issue 15, clients with no login on the wire on a classroom LAN (played on loopback addresses, never
 * a real network): curl or zeep at a student's machine (127.0.0.3) land in the sandbox whose page that
 * machine has open; a machine two sandboxes use lately, and this machine itself, land in the default
 * sandbox — never in the wrong student's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { createSoapLab } from '../../servers/soap/lab.ts';
import { gatewayLab } from '../../servers/gateway/lab.ts';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { lanRequest } from '../helpers/lan-request.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';

/** The lab's LAN address, and two students' machines. */
const LAN = '127.0.0.2';
const DESK_A = '127.0.0.3';
const DESK_B = '127.0.0.4';
let lab: TestLab;
let webPort: number;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, createSoapLab({ thinkTime: () => 0, timeoutMs: 5_000 }), gatewayLab], config: { host: LAN } });
  webPort = Number(new URL(lab.baseUrl).port);
});
afterAll(async () => {
  await lab?.stop();
});

/** An API request from a desk, naming the lab by its LAN address. */
const fromDesk = (desk: string, method: string, pathname: string, cookie?: string, body?: unknown) =>
  lanRequest(desk, webPort, method, pathname, { host: `${LAN}:${webPort}`, ...(body === undefined ? {} : { origin: `http://${LAN}:${webPort}` }), ...(cookie ? { cookie } : {}) }, body);

/** A browser at a desk starts its own sandbox and reloads the page (GET /api/lab); answers its id and cookie. */
async function openAt(desk: string): Promise<{ sandbox: string; cookie: string }> {
  const opened = await fromDesk(desk, 'POST', '/api/sandboxes', undefined, {});
  expect(opened.status).toBe(200);
  const cookie = (opened.setCookie ?? '').split(';')[0];
  expect((await fromDesk(desk, 'GET', '/api/lab', cookie)).status).toBe(200);
  return { sandbox: (JSON.parse(opened.body) as { sandbox: string }).sandbox, cookie };
}

/** A SOAP getMonth call, as curl at `desk` sends it; answers the client port the lab saw. */
async function soapCallFrom(desk: string, month: number): Promise<number> {
  const http = await import('node:http');
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="http://lab.test/soap/calendar"><s:Body><c:getMonth><c:year>2026</c:year><c:month>${month}</c:month></c:getMonth></s:Body></s:Envelope>`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: LAN, port: lab.port('soap'), localAddress: desk, method: 'POST', path: '/soap/calendar', agent: false, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://lab.test/soap/calendar/getMonth"' } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(req.socket?.localPort ?? 0) : reject(new Error(`SOAP answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** GET on the gateway as curl at `desk` sends it, with HTTP Basic; answers the status and the client port. */
async function gatewayGetFrom(desk: string, user: string, password: string): Promise<{ status: number; port: number }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: LAN, port: lab.port('gateway'), localAddress: desk, path: '/api/library/books?q=tcp', agent: false, auth: `${user}:${password}` }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, port: req.socket?.localPort ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The connections of a protocol (SOAP unless named) a sandbox lists (from its own desk, with its cookie; the owner from 127.0.0.1). */
async function connectionsOf(desk: string, cookie?: string, protocol = 'soap'): Promise<ConnectionInfo[]> {
  const reply = await fromDesk(desk, 'GET', `/api/connections?protocol=${protocol}&limit=50`, cookie);
  expect(reply.status).toBe(200);
  return (JSON.parse(reply.body) as { connections: ConnectionInfo[] }).connections;
}

const byPort = (connections: ConnectionInfo[], port: number) => connections.some((c) => c.client.endsWith(`:${port}`));

describe('a client with no login on the wire', () => {
  it("lands in the sandbox whose page its machine has open, and nowhere else", async () => {
    const a = await openAt(DESK_A);
    const b = await openAt(DESK_B);
    const port = await soapCallFrom(DESK_A, 3);
    await expect.poll(async () => byPort(await connectionsOf(DESK_A, a.cookie), port)).toBe(true);
    expect(byPort(await connectionsOf(DESK_B, b.cookie), port)).toBe(false);
    expect(byPort(await connectionsOf('127.0.0.1'), port)).toBe(false);
  });

  it('lands in the default sandbox from a machine two sandboxes use, and from this machine', async () => {
    const shared = '127.0.0.5';
    const first = await openAt(shared);
    const second = await openAt(shared);
    const fromShared = await soapCallFrom(shared, 4);
    const fromHere = await soapCallFrom('127.0.0.1', 5);
    await expect.poll(async () => byPort(await connectionsOf('127.0.0.1'), fromShared) && byPort(await connectionsOf('127.0.0.1'), fromHere)).toBe(true);
    expect(byPort(await connectionsOf(shared, first.cookie), fromShared)).toBe(false);
    expect(byPort(await connectionsOf(shared, second.cookie), fromShared)).toBe(false);
  });

  it("answers a student's curl at the gateway with its own sandbox's password, never the lab's, and files it there", async () => {
    const desk = '127.0.0.6';
    const student = await openAt(desk);
    const lab_ = JSON.parse((await fromDesk(desk, 'GET', '/api/lab', student.cookie)).body) as { password: string; clientsLandHere: boolean };
    expect(lab_.clientsLandHere).toBe(true);
    // The same browser's sandbox seen from this machine: its curl here would land in the owner's.
    expect((JSON.parse((await fromDesk('127.0.0.1', 'GET', '/api/lab', student.cookie)).body) as { clientsLandHere: boolean }).clientsLandHere).toBe(false);
    const own = await gatewayGetFrom(desk, 'bob', lab_.password);
    expect(own.status).toBe(200);
    expect((await gatewayGetFrom(desk, 'bob', TEST_PASSWORD)).status).toBe(401);
    await expect.poll(async () => byPort(await connectionsOf(desk, student.cookie, 'gateway'), own.port)).toBe(true);
    expect(byPort(await connectionsOf('127.0.0.1', undefined, 'gateway'), own.port)).toBe(false);
  });
});
