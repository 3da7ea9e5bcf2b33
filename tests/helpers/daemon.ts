import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CoreConfig, LabConfig } from '../../servers/daemon/config.ts';
import { startDaemon, type Daemon } from '../../servers/daemon/daemon.ts';
import type { AnyLabModule } from '../../servers/daemon/lab.ts';
import { LABS, type LabSettingsMap } from '../../servers/index.ts';
import { ApiError, callRoute, type CallArgs, type CallRest, type Contract, type ReplyOf } from '../../lib/http/contract.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import type { SandboxPolicy } from '../../servers/daemon/sandboxes.ts';

export const TEST_PASSWORD = 'test-password';

/** A daemon on free ports with a throw-away data dir; call `stop()` in afterAll. */
export interface TestLab {
  daemon: Daemon;
  dataDir: string;
  port(protocol: Protocol): number;
  /** http://127.0.0.1:PORT of the daemon's API and /ws (no Next UI). */
  baseUrl: string;
  /** GET/POST the JSON API; throws on non-2xx with the API's error text. */
  api<T = unknown>(pathname: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /**
   * Calls a route by its contract (servers/<lab>/lab/contracts.ts): typed params, query and body,
   * the reply parsed by its schema; non-2xx throws ApiError whose message starts with the status.
   */
  api<C extends Contract>(contract: C, ...args: CallRest<C>): Promise<ReplyOf<C>>;
  stop(): Promise<void>;
}

/**
 * Test settings of each lab in `labs`: every port it declares 0 (any free port), then what the lab
 * changes for tests (LabModule.testSettings).
 */
export function testLabSettings(labs: readonly AnyLabModule[] = LABS): LabSettingsMap {
  const settings: Record<string, unknown> = {};
  for (const lab of labs) {
    const env = Object.fromEntries(lab.about.ports.map((p) => [p.env, '0']));
    const parsed = lab.settings.parse(env);
    settings[lab.about.id] = typeof parsed === 'object' && parsed ? { ...parsed, ...lab.testSettings } : parsed;
  }
  // Keyed by each lab's id, parsed by that lab's own schema.
  return settings as LabSettingsMap;
}

/**
 * The config a test daemon uses: every port 0, a fresh temp data dir, a known password; settings
 * for every registered lab (labs read each other's, e.g. SSH's tunnel recipe names SMTP's port) and
 * for any extra lab a test passes in `labs`.
 */
export function testConfig(dataDir: string, labs: readonly AnyLabModule[] = []): LabConfig {
  const core: CoreConfig = {
    webPort: 0,
    host: '127.0.0.1',
    allowedHosts: [],
    dataDir,
    password: TEST_PASSWORD,
    sandbox: 'local',
    sandboxQuotaBytes: 32 * 1024 * 1024,
    // The benches compare with LAB_DISSECT_THREAD=inline, as `npm start` would read it.
    dissectThread: process.env.LAB_DISSECT_THREAD === 'inline' ? 'inline' : 'thread',
  };
  return { ...core, ...testLabSettings([...LABS, ...labs]) };
}

/** Starts a test daemon with `labs` (default: every registered lab), `config` overriding testConfig's. */
export async function startTestLab(options: { labs?: readonly AnyLabModule[]; dataDir?: string; config?: Partial<LabConfig>; sandboxes?: SandboxPolicy } = {}): Promise<TestLab> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-lab-test-'));
  const labs = options.labs ?? LABS;
  const daemon = await startDaemon({ ...testConfig(dataDir, labs), ...options.config }, labs, options.sandboxes);
  const server = http.createServer((req, res) => {
    void daemon.handleApi(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.on('upgrade', (req, socket, head) => daemon.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    daemon,
    dataDir,
    baseUrl,
    async api(target: string | Contract, init: { method?: string; body?: unknown } = {}) {
      if (typeof target !== 'string') {
        return callRoute(target, { ...init, baseUrl } as CallArgs<Contract>).catch((err: unknown) => {
          throw err instanceof ApiError ? new ApiError(err.status, `${err.status} ${target.method} ${target.path}: ${err.message}`) : err;
        });
      }
      const pathname = target;
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const res = await fetch(baseUrl + pathname, {
        method,
        // The lab takes every state change as JSON, body or not (lib/http/host-guard.ts).
        headers: method === 'GET' ? undefined : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${res.status} ${pathname}: ${text}`);
      return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    },
    port(protocol) {
      const lab = daemon.labs.find((l) => l.protocol === protocol);
      if (!lab) throw new Error(`lab ${protocol} not started`);
      return lab.tap.port;
    },
    async stop() {
      server.closeAllConnections();
      // Upgraded (WebSocket) sockets are not the HTTP server's any more: close() would wait for them,
      // so the daemon ends them first (its hub terminates every browser), then the server can close.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await daemon.stop();
      await closed;
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
