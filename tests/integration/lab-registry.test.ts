/**
 * The lab registry (servers/index.ts) is the one place a lab is added: these tests register a
 * small lab the way a new one would be and check that everything else derives from the list.
 */
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { labPort } from '../../lib/labs/env.ts';
import type { LabAbout } from '../../lib/labs/about.ts';
import { PROTOCOLS } from '../../lib/wire/event.ts';
import { ABOUTS } from '../../servers/abouts.ts';
import { loadConfig } from '../../servers/daemon/config.ts';
import type { LabModule } from '../../servers/daemon/lab.ts';
import { orderByRequires } from '../../servers/daemon/order.ts';
import { LABS } from '../../servers/index.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { createSoapLab } from '../../servers/soap/lab.ts';
import type { SshInfo } from '../../servers/ssh/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { openStubTap } from '../helpers/stub-tap.ts';

/** An echo lab, as a new lab's servers/<id>/about.ts and lab.ts would declare it. */
const echoAbout = {
  // Any id in PROTOCOLS; the registered lab of that id (if it is built) is left out of the daemon this test starts.
  id: 'gateway',
  title: 'Echo',
  tagline: 'Says back what it hears.',
  topics: ['echo'],
  live: true,
  ports: [{ env: 'ECHO_PORT', default: 7007, what: 'the echo lab' }],
  settings: [],
} as const satisfies LabAbout;

const echoLab: LabModule<'gateway', { port: number }, { greeting: string; port: number }> = {
  about: echoAbout,
  settings: z.object({ ECHO_PORT: labPort(echoAbout, 'ECHO_PORT') }).transform((env) => ({ port: env.ECHO_PORT })),
  requires: ['smtp'],
  // Its own table, created by the daemon before start: start writes to it, so a missing table fails the start.
  migrations: [`CREATE TABLE echo_starts (at INTEGER NOT NULL)`],
  async start(ctx) {
    ctx.db.prepare(`INSERT INTO echo_starts (at) VALUES (?)`).run(Date.now());
    const { tap, stop } = await openStubTap(ctx, (socket) => socket.pipe(socket).on('error', () => socket.destroy()));
    return {
      protocol: 'gateway',
      tap,
      endpoints: [{ protocol: 'gateway', name: 'Echo', host: ctx.config.host, port: tap.port, listening: () => tap.listening }],
      info: () => ({ greeting: 'hello', port: tap.port }),
      stop,
    };
  },
};

describe('the registry and the lists that must follow it', () => {
  it('PROTOCOLS (lib, the wire vocabulary) names exactly the labs in servers/abouts.ts', () => {
    expect([...PROTOCOLS].sort()).toEqual(ABOUTS.map((a) => a.id).sort());
  });

  it('every registered lab is in servers/abouts.ts (the UI list), and every live one there is registered', () => {
    for (const lab of LABS) expect(ABOUTS).toContain(lab.about);
    expect(ABOUTS.filter((a) => a.live).map((a) => a.id).sort()).toEqual(LABS.map((l) => l.about.id).sort());
  });

  it("each lab's settings schema reads every variable its about declares, with the declared default", () => {
    for (const lab of LABS) {
      for (const variable of [...lab.about.ports, ...lab.about.settings]) {
        const result = lab.settings.safeParse({ [variable.env]: 'not a value' });
        expect(result.success, `${lab.about.id}: ${variable.env}`).toBe(false);
        expect(result.error?.issues.map((i) => i.path.join('.')), `${lab.about.id}: ${variable.env}`).toContain(variable.env);
      }
      for (const port of lab.about.ports) expect(loadConfig({})[lab.about.id].port, port.env).toBe(port.default);
    }
  });

  it('orders starts by requires, whatever the list order', () => {
    const soap = createSoapLab();
    expect(orderByRequires([soap, smtpLab]).map((l) => l.about.id)).toEqual(['smtp', 'soap']);
  });

  it('refuses a list that lacks a required lab, naming both, before opening anything', async () => {
    await expect(startTestLab({ labs: [createSoapLab()] })).rejects.toThrow(/SOAP lab requires the smtp lab/);
  });
});

describe('a new lab is one module in the list', () => {
  let lab: TestLab;
  beforeAll(async () => {
    // Listed before the lab it requires, and before SOAP's requirement: the daemon orders them.
    lab = await startTestLab({ labs: [echoLab, createSoapLab({ thinkTime: () => 0 }), ...LABS.filter((l) => l.about.id !== 'soap' && l.about.id !== echoAbout.id)] });
  });
  afterAll(() => lab?.stop());

  it('has its settings in the config, read from its own variable', () => {
    expect(lab.daemon.config).toHaveProperty('gateway', { port: 0 });
    expect(() => loadConfig({ ECHO_PORT: 'seven' }, [...LABS, echoLab])).toThrow(/ECHO_PORT/);
    expect(loadConfig({ ECHO_PORT: '7100' }, [...LABS, echoLab])).toHaveProperty('gateway', { port: 7100 });
  });

  it('is served and listed in /api/health', async () => {
    const health = await lab.api<{ ok: boolean; servers: { protocol: string; port: number; listening: boolean }[] }>('/api/health');
    expect(health.ok).toBe(true);
    expect(health.servers).toContainEqual(expect.objectContaining({ protocol: 'gateway', port: lab.port('gateway'), listening: true }));
    // Through its tap to its server and back.
    const socket = net.connect(lab.port('gateway'), '127.0.0.1');
    socket.write('ping\n');
    const echoed = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text);
      });
      socket.on('error', reject);
    });
    socket.destroy();
    expect(echoed).toBe('ping\n');
  });

  it('has its own tables, migrated before it started and versioned apart from the core schema', () => {
    const db = new Database(path.join(lab.daemon.config.dataDir, 'lab.sqlite'), { readonly: true });
    try {
      const versions = db.prepare(`SELECT lab, version FROM lab_schema`).all();
      expect(versions).toContainEqual({ lab: 'gateway', version: 1 });
      expect(versions).toContainEqual({ lab: 'ssh', version: 1 });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM echo_starts`).get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('has its info() under its id in /api/lab', async () => {
    const info = await lab.api<Record<string, unknown>>('/api/lab');
    expect(info.gateway).toEqual({ greeting: 'hello', port: lab.port('gateway') });
  });

  it("is a port SSH may forward to (every lab's endpoints, nothing configured by name)", async () => {
    const info = await lab.api<{ ssh: SshInfo }>('/api/lab');
    expect(info.ssh.forwardPorts).toEqual(expect.arrayContaining(['gateway', 'smtp', 'ssh', 'ftp', 'soap'].map((p) => lab.port(p as 'smtp'))));
  });
});
