/**
 * The access-control page's "Use your own client" recipes, run for real as a student would paste
 * them (bash, curl) against a test lab's service host, with the live port, password and API keys
 * the page shows.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayRecipes, type GatewayRecipeTargets } from '../../components/gateway/recipes.ts';
import { accessContracts } from '../../servers/gateway/lab/contracts.ts';
import type { GatewayInfo } from '../../servers/gateway/lab.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';

let lab: TestLab;
let work: string;
let targets: GatewayRecipeTargets;
beforeAll(async () => {
  lab = await startTestLab();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-recipes-'));
  const { gateway } = await lab.api<{ gateway: GatewayInfo }>('/api/lab');
  const model = await lab.api(accessContracts.model);
  targets = { baseUrl: gateway.baseUrl, password: TEST_PASSWORD, keys: Object.fromEntries(model.users.map((u) => [u.name, u.apiKey])) };
});
afterAll(async () => {
  await lab?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function recipe(name: string): string {
  const found = gatewayRecipes(targets).find((r) => r.name === name);
  if (!found) throw new Error(`no recipe called ${name}`);
  return found.code;
}

/** Runs a recipe in bash with curl on PATH; the reply's status, headers (lower-cased names) and body. */
function run(code: string): Promise<{ status: number; headers: Record<string, string>; body: string; stderr: string }> {
  const PATH = `${path.dirname(tool('curl'))}:${process.env.PATH ?? ''}`;
  return new Promise((resolve) => {
    execFile('bash', ['-euc', code], { cwd: work, timeout: 30_000, env: { ...process.env, PATH } }, (_err, stdout, stderr) => {
      const [head = '', ...rest] = stdout.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(lines[0])?.[1] ?? 0), headers, body: rest.join('\r\n\r\n'), stderr });
    });
  });
}

describe("the access-control page's own-client recipes", () => {
  it('bob reads the library with -u: 200 and the books', async () => {
    const r = await run(recipe('bob reads (Basic)'));
    expect(r.status, r.stderr).toBe(200);
    expect(r.body).toContain('TCP/IP');
  });

  it('bob borrowing is denied: 403 problem+json broken at the service', async () => {
    const r = await run(recipe('bob borrows: 403'));
    expect(r.status, r.stderr).toBe(403);
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(r.body)).toMatchObject({ brokenAt: 'service', service: 'library.borrow', user: 'bob' });
  });

  it("alice's API key from the page identifies her", async () => {
    const r = await run(recipe('alice by API key'));
    expect(r.status, r.stderr).toBe(200);
    expect(r.body).toContain('"username":"alice"');
  });

  it('the SOAP calendar answers alice and sends bob a Client fault', async () => {
    const code = recipe('SOAP calendar as alice');
    const alice = await run(code);
    expect(alice.status, alice.stderr).toBe(200);
    expect(alice.body).toContain('getMonthResponse');
    const bob = await run(code.replace(targets.keys.alice, targets.keys.bob));
    expect(bob.status).toBe(500);
    expect(bob.body).toContain('<faultcode>soap:Client</faultcode>');
  });

  it('mallory is refused by the blacklist', async () => {
    const r = await run(recipe('mallory: blacklisted'));
    expect(r.status, r.stderr).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ brokenAt: 'blacklist' });
  });

  it('no credentials: 401 with WWW-Authenticate', async () => {
    const r = await run(recipe('no credentials: 401'));
    expect(r.status, r.stderr).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/^Basic /);
  });
});
