/**
 * The SSH/SFTP lab: the ssh2 server with no port of its own (the tap on SSH_PORT hands it each
 * connection in process), the endpoint view
 * (ssh2 debug lines + server events → annotated messages on the tapped connection), the browser
 * SSH terminal, the SFTP file panel, and /api/ssh routes for keys, known_hosts and faults.
 */
import { dialHostOf } from '../../lib/http/host-guard.ts';
import type { Algorithms } from 'ssh2';
import { SshEndpointView } from '../../lib/protocols/ssh/endpoint.ts';
import { createSshDissector } from '../../lib/protocols/ssh/dissector.ts';
import type { ConnectionRecorder } from '../../lib/wire/recorder.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { openLabTap } from '../daemon/lab-tap.ts';
import { EndpointBindings } from '../../lib/wire/endpoint-binding.ts';
import { start as startSshServer } from './index.ts';
import type { LabContext, LabModule, RunningLab } from '../daemon/lab.ts';
import { sandboxAccounts, SandboxJails } from './sandbox-accounts.ts';
import { sshScriptedFaults } from './scripted-faults.ts';
import { z } from 'zod';
import { labPort } from '../../lib/labs/env.ts';
import { sshAbout } from './about.ts';
import type { HostKeyInfo } from './lab/host-keys.ts';
import { SshConsole } from './lab/console.ts';
import { HostKeys } from './lab/host-keys.ts';
import { sshRoutes } from './lab/routes.ts';
import { SftpPanel } from './lab/sftp-panel.ts';
import { SshStore, SSH_MIGRATIONS } from './lab/ssh-store.ts';
import { slotOf, WireOrder } from './lab/wire-order.ts';

/** The "restrict algorithms" fault: a key exchange no modern client offers (SHA-1, RFC 4253 §8.2). */
const RESTRICTED: Algorithms = { kex: ['diffie-hellman-group14-sha1'] };
const STRICT_MARKER = 'kex-strict-s-v00@openssh.com';
/** ssh2 1.17's default kex list in the order its KEXINIT sends it (lib/protocol/constants.js; tests/integration/ssh-facts.test.ts compares). */
const DEFAULT_KEX = ['curve25519-sha256@libssh.org', 'curve25519-sha256', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group14-sha256', 'diffie-hellman-group15-sha512', 'diffie-hellman-group16-sha512', 'diffie-hellman-group17-sha512', 'diffie-hellman-group18-sha512'];

/** The SSH lab's settings; `loginGraceMs` overrides sshd's 2-minute LoginGraceTime (tests). */
export interface SshSettings {
  port: number;
  loginGraceMs?: number;
}

/** GET /api/lab → ssh. */
export interface SshInfo {
  port: number;
  host: string;
  user: string;
  knownHostsName: string;
  hostKeys: HostKeyInfo[];
  restrictAlgorithms: boolean;
  /** The ports `ssh -L` may reach on 127.0.0.1 (the lab's own). */
  forwardPorts: number[];
  commands: { ssh: string; sftp: string; tunnel: string; fingerprints: string };
}

const settings = z.object({ SSH_PORT: labPort(sshAbout, 'SSH_PORT') }).transform((env): SshSettings => ({ port: env.SSH_PORT }));

async function startSshLab(ctx: LabContext<SshSettings>): Promise<RunningLab<SshInfo>> {
  const { config, bus } = ctx;
  const store = new SshStore(ctx.db);
  const hostKeys = await HostKeys.load(ctx.secrets);
  const jails = new SandboxJails({ dataDir: config.dataDir, quotaBytes: config.sandboxQuotaBytes, exists: (sandbox) => ctx.logins.exists(sandbox) });
  // The default sandbox's files are ready before the first login (and a broken data dir fails the start).
  await jails.jailOf(config.sandbox);
  let restricted = false;
  let tap: Tap | null = null;
  // The lab's own public ports (every running lab's endpoints and the web port), read per request.
  const labPorts = () => ctx.publicPorts();

  const server = await startSshServer({
    host: '127.0.0.1',
    port: null,
    hostKeys: hostKeys.privateKeys,
    // Each login opens its sandbox (admitLogin's rule), files the connection there and sees its files.
    accounts: sandboxAccounts({
      logins: ctx.logins,
      tap: () => tap,
      authorizedKeys: (sandbox) => store.authorizedKeys(sandbox).map((k) => k.line),
      jailOf: (sandbox) => jails.jailOf(sandbox),
    }),
    forwardPorts: () => labPorts(),
    forwardHost: dialHostOf(config.host),
    hostname: 'lab',
    limits: config.ssh.loginGraceMs ? { loginGraceMs: config.ssh.loginGraceMs } : undefined,
    // Only the tap's own connections: each is filed before the tap hands it over (issue #13).
    admit: (socket) => Boolean(socket.remotePort && tap?.byUpstreamPort(socket.remotePort)),
    // A tunnel (ssh -L) to another lab's tap is listed as a child of this SSH connection, in its
    // sandbox: read when the channel opens, after the login filed the connection.
    forwardOrigin: (port) => {
      const connection = tap?.byUpstreamPort(port);
      return connection && { label: 'through an SSH tunnel', parent: connection.recorder.info.id, ...connection.owner };
    },
  });

  // Endpoint view: one adapter per server connection, written to the tapped connection's recorder
  // through a WireOrder, so the pairs both sides send at once follow the tap's reading order.
  const orders = new Map<string, WireOrder>();
  const orderOf = (recorder: ConnectionRecorder): WireOrder => {
    let order = orders.get(recorder.info.id);
    if (!order) {
      order = new WireOrder((message) => recorder.record(message, 'endpoint'));
      orders.set(recorder.info.id, order);
    }
    return order;
  };
  const stopWatchingWire = bus.subscribe((event) => {
    if (event.type === 'connection.close' && event.connection.protocol === 'ssh') {
      orders.get(event.connection.id)?.drain();
      orders.delete(event.connection.id);
    }
    if (event.type !== 'message' || event.message.protocol !== 'ssh' || event.message.view !== 'wire') return;
    // Only the two version lines and the first KEXINITs order anything (wire-order.ts); not the encrypted rest.
    if (!slotOf(event.message)) return;
    const recorder = tap?.byId(event.message.conn)?.recorder;
    if (!recorder) return;
    const order = orderOf(recorder);
    const message = event.message;
    // After this publish has reached every subscriber: what it releases must not overtake it.
    queueMicrotask(() => order.wire(message));
  });
  // Each server connection is bound to its tapped connection at its first event and keeps that
  // binding to its own end: its last events ('closed') come after the tap has let go.
  const sessions = new EndpointBindings<number, SshEndpointView>((remotePort) => tap?.byUpstreamPort(remotePort));
  server.events.on('event', (event) => {
    let session = sessions.get(event.connId);
    if (!session) {
      session = sessions.bind(event.connId, event.remotePort);
      session?.decodeWith(new SshEndpointView((type) => hostKeys.fingerprint(type)));
    }
    if (event.type === 'closed') sessions.release(event.connId);
    if (!session) return;
    const { recorder } = session;
    if (event.type === 'sftp-session' && event.state === 'open' && !recorder.info.label?.includes('sftp')) {
      // Mark the connection as SFTP in the list (a connection.update, not a second open).
      recorder.relabel(recorder.info.label ? `${recorder.info.label} (sftp)` : 'sftp');
    }
    // Most events (a bulk transfer's debug lines) make no message: nothing more to do for them.
    const messages = session.decode((view) => view.handle(event));
    if (messages.length > 0) {
      const order = orderOf(recorder);
      for (const message of messages) order.endpoint(message);
    }
    if (event.type === 'closed') {
      orders.get(recorder.info.id)?.drain();
      orders.delete(recorder.info.id);
    }
  });

  const runningTap = await openLabTap(ctx, server, {
    protocol: 'ssh',
    port: config.ssh.port,
    target: { accept: (socket) => server.accept(socket) },
    dissector: createSshDissector,
    portEnvVar: 'SSH_PORT',
  });
  tap = runningTap;
  const isOwnHostKey = (key: Buffer) => hostKeys.info().some((k) => k.publicKey.split(' ')[1] === key.toString('base64'));
  const panel = new SftpPanel({ tap: runningTap, loginOf: ctx.clientLogin, isOwnHostKey });
  const kexOffer = () => [...(restricted ? (RESTRICTED.kex as string[]) : DEFAULT_KEX), STRICT_MARKER];
  // One action for the Failures tab's button and the ssh.hostkey-change rule.
  const rotateHostKeys = () => {
    const keys = hostKeys.rotate();
    server.setHostKeys(hostKeys.privateKeys);
    void panel.close();
    return keys;
  };
  const scripted = sshScriptedFaults({ bus, faults: ctx.faults, tap: () => runningTap, rotateHostKeys });

  return {
    protocol: 'ssh',
    tap: runningTap,
    endpoints: [{ protocol: 'ssh', name: 'SSH/SFTP', host: config.host, port: runningTap.port, listening: () => runningTap.listening }],
    openConsole: (io) => {
      const sandbox = io.owner?.sandbox ?? config.sandbox;
      return new SshConsole(
        {
          tap: runningTap,
          sandbox,
          store,
          // The login this sandbox's page shows (a student's id; the lab user in the default sandbox).
          defaultUser: ctx.clientLogin(sandbox).user,
          serverOffer: (category) => (category === 'kex' ? kexOffer() : category === 'hostkey' ? hostKeys.info().map((k) => k.type) : []),
          isLabHostKey: isOwnHostKey,
        },
        io,
      );
    },
    routes: sshRoutes({
      sandboxes: ctx.sandboxes,
      store,
      panel,
      hostKeys: () => hostKeys.info(),
      rotateHostKeys,
      restricted: () => restricted,
      setRestricted: (on) => {
        restricted = on;
        server.setAlgorithms(on ? RESTRICTED : undefined);
        void panel.close();
      },
      kexOffer,
      ownerSandbox: config.sandbox,
    }),
    info: (caller) => {
      const port = runningTap.port;
      const user = caller.login.user;
      return {
        port,
        host: config.host,
        user,
        knownHostsName: port === 22 ? '127.0.0.1' : `[127.0.0.1]:${port}`,
        hostKeys: hostKeys.info(),
        restrictAlgorithms: restricted,
        forwardPorts: labPorts(),
        commands: {
          ssh: `ssh -p ${port} ${user}@127.0.0.1`,
          sftp: `sftp -P ${port} ${user}@127.0.0.1`,
          tunnel: `ssh -N -L 8025:127.0.0.1:${config.smtp.port} -p ${port} ${user}@127.0.0.1`,
          fingerprints: `ssh-keyscan -p ${port} 127.0.0.1 | ssh-keygen -lf -`,
        },
      };
    },
    faults: scripted.actions,
    forgetSandbox: (sandbox) => {
      jails.forget(sandbox);
      panel.forget(sandbox);
    },
    stop: async () => {
      scripted.stop();
      stopWatchingWire();
      await panel.close();
      await runningTap.close();
      await server.stop();
    },
  };
}

/** The SSH/SFTP lab (registered in servers/index.ts). */
export const sshLab: LabModule<'ssh', SshSettings, SshInfo> = { about: sshAbout, settings, migrations: SSH_MIGRATIONS, start: startSshLab };
