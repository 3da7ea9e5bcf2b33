/**
 * Every route the daemon serves, core and lab, and the WebSocket, probed with a foreign Host (DNS
 * rebinding) and, for state-changing routes, a foreign Origin (CSRF). A route added later is in this
 * list by construction, so it cannot ship without the guard.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Contract } from '../../lib/http/contract.ts';
import { captureContracts } from '../../lib/http/capture-contracts.ts';
import { coreContracts } from '../../lib/http/core-contracts.ts';
import { faultContracts } from '../../lib/http/fault-contracts.ts';
import { lessonContracts } from '../../lib/http/lesson-contracts.ts';
import { searchContracts } from '../../lib/http/search-contracts.ts';
import { sandboxContracts } from '../../lib/http/sandbox-contracts.ts';
import { classContracts } from '../../lib/http/class-contracts.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
let port: number;
beforeAll(async () => {
  lab = await startTestLab();
  port = Number(new URL(lab.baseUrl).port);
});
afterAll(async () => {
  await lab?.stop();
});

/** A concrete path for a contract: each `:name` filled with a value its segment pattern accepts. */
function samplePath(contract: Contract): string {
  return contract.path.replace(/:(\w+)/g, (_m, name: string) => {
    const pattern = new RegExp(`^(?:${contract.params?.[name]?.pattern ?? '.+'})$`);
    const value = ['1', 'abc123', 'README.txt', 'x', 'class-abc', 'abcdef'].find((candidate) => pattern.test(candidate));
    if (!value) throw new Error(`no sample value for :${name} in ${contract.path}`);
    return value;
  });
}

function request(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (err) => reject(new Error(`${method} ${path}: ${err.message}`)));
    req.end(method === 'GET' || method === 'HEAD' ? undefined : '{}');
  });
}

const contentTypeOf = (contract: Contract) => (contract.body === 'bytes' ? 'application/octet-stream' : 'application/json');

describe('every route refuses a foreign Host and, when it changes state, a foreign Origin', () => {
  const routes = () => {
    const labContracts = lab.daemon.labs.flatMap((l) => (l.routes ?? []).map((r) => r.contract).filter((c): c is Contract => c !== undefined));
    const untyped: Contract[] = ['/api/health', '/api/lab'].map((path) => ({ method: 'GET', path, reply: { raw: 'application/json' } }));
    const kernel = [coreContracts, lessonContracts, captureContracts, faultContracts, searchContracts, sandboxContracts, classContracts].flatMap((group) => Object.values(group) as Contract[]);
    return [...kernel, ...labContracts, ...untyped];
  };

  it('probes every route the daemon serves: a new route missing from the list fails here', () => {
    const probes = routes().map((contract) => ({ method: contract.method, path: samplePath(contract) }));
    const unprobed = lab.daemon.handleApi.routes
      .filter((route) => !probes.some((probe) => probe.method === route.method && route.pattern.test(probe.path)))
      .map((route) => `${route.method} ${route.pattern}`);
    expect(unprobed).toEqual([]);
  });

  it('probes every route the daemon serves (the list is not empty)', () => {
    expect(routes().length).toBeGreaterThan(25);
  });

  it('answers 421 to a foreign Host on every route, before the route runs', async () => {
    for (const contract of routes()) {
      const path = samplePath(contract);
      const reply = await request(contract.method, path, { host: 'rebind.attacker.test', 'content-type': contentTypeOf(contract) });
      expect(reply.status, `${contract.method} ${path}`).toBe(421);
      expect(reply.body).not.toContain('test-password');
      expect(reply.body).not.toContain(lab.daemon.teacherToken);
    }
  });

  it('answers 403 to a foreign Origin on every state-changing route, and lets the own origin through to the route', async () => {
    for (const contract of routes().filter((c) => c.method !== 'GET')) {
      const path = samplePath(contract);
      // With the teacher's token: a 403 can then only be the origin check (even the teacher's key does not let another site in).
      const headers = { 'content-type': contentTypeOf(contract), authorization: `Bearer ${lab.daemon.teacherToken}` };
      const foreign = await request(contract.method, path, { ...headers, origin: 'http://evil.example' });
      expect(foreign.status, `${contract.method} ${path}`).toBe(403);
      expect(JSON.parse(foreign.body).error).toMatch(/another site/);
      // The same request from the lab's own page reaches the route (it may still be a 400/404 for a made-up id).
      const own = await request(contract.method, path, { ...headers, origin: `http://127.0.0.1:${port}` });
      // …and an empty or made-up request is answered in words, never with a crash (a 500).
      expect([403, 421, 500], `${contract.method} ${path}: ${own.body}`).not.toContain(own.status);
    }
  });

  it('answers every GET route with made-up ids in words, never with a crash (a 500)', async () => {
    for (const contract of routes().filter((c) => c.method === 'GET')) {
      const path = samplePath(contract);
      const own = await request('GET', path, {});
      expect(own.status, `GET ${path}: ${own.body}`).not.toBe(500);
    }
  });

  it("answers 403 to another site's or another local port's page on every route, GETs included (fetch metadata)", async () => {
    // A page on http://localhost:5173 is "same-site" with the lab at http://localhost:3000 (ports do not count),
    // and SameSite=Strict cookies go with its requests; only the lab's own pages (same-origin) and the address bar (none) pass.
    for (const contract of routes()) {
      const path = samplePath(contract);
      for (const site of ['cross-site', 'same-site']) {
        const reply = await request(contract.method, path, { 'content-type': contentTypeOf(contract), 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors' });
        expect(reply.status, `${contract.method} ${path} from a ${site} page`).toBe(403);
        expect(JSON.parse(reply.body).error).toMatch(/another site|cross-site/);
      }
    }
    for (const site of ['same-origin', 'none']) expect((await request('GET', '/api/health', { 'sec-fetch-site': site })).status).toBe(200);
  });

  it("opens no FTP session for an <img> on another page pointing at a download (a GET that would open connections)", async () => {
    const ftpConnections = async () => (await lab.api<{ connections: { id: string }[] }>('/api/connections?protocol=ftp&limit=200')).connections.length;
    const before = await ftpConnections();
    for (let i = 0; i < 3; i++) {
      const reply = await request('GET', `/api/ftp/download?name=README.txt&n=${i}`, { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' });
      expect(reply.status).toBe(403);
    }
    // The lab's own page still downloads (and that download's connections are the only new ones).
    const own = await request('GET', '/api/ftp/download?name=README.txt', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' });
    expect(own.status).toBe(200);
    await lab.daemon.settled();
    expect(await ftpConnections()).toBe(before + 2);
  });

  it('refuses the WebSocket upgrade for a foreign Host and for a foreign Origin', async () => {
    const upgradeStatus = (options: WebSocket.ClientOptions) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, options);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
      });
    expect(await upgradeStatus({ headers: { host: 'rebind.attacker.test' } })).toBe(421);
    expect(await upgradeStatus({ origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ origin: `http://127.0.0.1:${port}` })).toBe(101);
  });
});
