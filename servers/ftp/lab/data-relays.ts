/**
 * How the lab sees FTP data connections: each one runs through the tap's pipeline (gates on the
 * control tap's step mode, the data summariser, its own record with `parent` = the control
 * connection), summarised, never stored whole. Passive: the lab listens on a public port from
 * FTP_PASV_RANGE and the server advertises THAT port, so no reply is rewritten. Active: the lab
 * connects to the client first (or, with the "client firewall" on, refuses to — the server then
 * answers 425). Either way the server gets an in-process end of the connection (duplexPair): no
 * second loopback hop, and no internal data port anyone could reach around the tap.
 */
import { counted, groupDigits } from '../../../lib/text/numbers.ts';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Bus } from '../../../lib/bus/bus.ts';
import { ftpAnnotation } from '../../../lib/protocols/ftp/annotate.ts';
import { createFtpDataDissector, previewLines } from '../../../lib/protocols/ftp/data-summary.ts';
import type { DissectedMessage } from '../../../lib/protocols/types.ts';
import { duplexPair, type EndAddress, type MemorySocket } from '../../../lib/wire/duplex-pair.ts';
import { runPipeline } from '../../../lib/wire/pipeline.ts';
import { ConnectionRecorder } from '../../../lib/wire/recorder.ts';
import type { ConnectionOwner, StepController } from '../../../lib/wire/step.ts';
import type { DataRouteRequest, DataRoutes, PassivePort } from '../index.ts';

/** The control connection a data connection belongs to, as the tap knows it. */
export interface ControlInfo {
  recorder: ConnectionRecorder;
  /** Its owner and the tap's step mode: the data connection is held with it. */
  owner: ConnectionOwner;
  step: StepController;
  /** The real client's address (what the tap saw), e.g. '127.0.0.1'. */
  clientAddress: string;
  /** The lab's address the client reached (what passive replies advertise), e.g. '127.0.0.2' on a LAN bind. */
  serverAddress: string;
}

export interface DataRelayOptions {
  bus: Bus;
  /** Address the public passive ports bind to (LAB_HOST); each reply advertises the address its client reached. */
  host: string;
  /** Public passive range; null = any free port (tests running in parallel). */
  range: { min: number; max: number } | null;
  /** Finds the control connection by the server-side remote port; undefined = not tapped (direct). */
  control(controlPort: number): ControlInfo | undefined;
}

/** What a finished data connection measured (for the FTPS-vs-SFTP table). */
export interface DataStats {
  conn: string;
  parent: string;
  mode: 'passive' | 'active';
  from: string;
  to: string;
  tls: boolean;
  bytesFromClient: number;
  bytesFromServer: number;
  ms: number;
}

const plain = (address: string | undefined) => (address ?? '').replace(/^::ffff:/i, '');
const CONNECT_TIMEOUT_MS = 5_000;
const IDLE_PASSIVE_MS = 30_000;
/** How long one side may stay open after the other closed. */
const LINGER_MS = 10_000;
/** How long a PROT P data connection may stay silent before the lab says whose TLS handshake it waits for. */
const TLS_SILENCE_MS = 3_000;
/** Bytes of plain data quoted in the end-of-data note on the control connection. */
const NOTE_PREVIEW_BYTES = 600;

/**
 * The control connection's note for the end of the data: who closed first (the sender, in stream
 * mode), how many bytes it sent, and what an eavesdropper read of them (nothing under PROT P).
 */
function endOfDataNote(dir: 'client' | 'server', how: 'closed' | 'reset', bytes: number, tls: boolean, first: Buffer, dataConn: string): DissectedMessage {
  const who = dir === 'server' ? 'the server' : 'the client';
  const amount = counted(bytes, 'byte');
  const head =
    how === 'reset'
      ? `Data connection reset after ${amount} from ${who}.`
      : tls
        ? `Data connection closed by ${who}: ${amount} of TLS records.\nPROT P: an eavesdropper sees their lengths, not the contents.`
        : `Data connection closed by ${who} after ${amount}${bytes > 0 ? ` in clear text${bytes > NOTE_PREVIEW_BYTES ? `, first ${NOTE_PREVIEW_BYTES} shown` : ''}:` : '.'}`;
  const preview = how === 'closed' && !tls && first.length > 0 ? previewLines(first).map((line) => `  ${line}`) : [];
  return {
    dir: 'note',
    kind: 'note',
    text: [head, ...preview].join('\n'),
    bytes: 0,
    fields: [
      { name: 'closed by', value: dir },
      { name: 'bytes', value: String(bytes) },
      { name: 'protection', value: tls ? 'PROT P (TLS)' : 'clear' },
      { name: 'data connection', value: dataConn },
    ],
    annotation: ftpAnnotation(how === 'reset' ? 'ftp.data.reset' : 'ftp.data.eof', 'RFC 959 §3.4.1', how === 'reset' ? 'warn' : 'info'),
    phase: 'data',
  };
}

/**
 * The in-process data connection: the lab keeps the first end, the server gets the second. The
 * server's end stays open for writing after the client's FIN (half-open), like the TLS layer on
 * it needs: a PROT P upload's last records are still being read when the FIN arrives, and an end
 * that closed at once would cut them off (the server then fails the STOR).
 */
function serverPair(client: EndAddress, server: EndAddress): [MemorySocket, MemorySocket] {
  const [ours, theirs] = duplexPair(client, server);
  theirs.allowHalfOpen = true;
  return [ours, theirs];
}

/** Relays and records every FTP data connection; owns each sandbox's firewall toggle. */
export class DataRelays {
  /** Sandboxes whose simulated client firewall / NAT is on: their active-mode connect-backs are dropped. */
  private readonly firewalls = new Set<string>();

  /** Whether a sandbox's simulated client firewall is on (each student runs the lesson on its own). */
  firewallOf(sandbox: string): boolean {
    return this.firewalls.has(sandbox);
  }

  setFirewall(sandbox: string, on: boolean): void {
    if (on) this.firewalls.add(sandbox);
    else this.firewalls.delete(sandbox);
  }

  /** Drops an expired sandbox's toggle. */
  forget(sandbox: string): void {
    this.firewalls.delete(sandbox);
  }
  private readonly listeners = new Map<string, net.Server>();
  private readonly open = new Set<Duplex>();
  private readonly latest = new Map<string, { recorder: ConnectionRecorder; command: string | null }>();
  private readonly pending = new Map<string, string>();
  private readonly finished: DataStats[] = [];
  private nextPort = 0;

  constructor(private readonly options: DataRelayOptions) {}

  /** The hooks to hand to servers/ftp. */
  routes(): DataRoutes {
    return { passive: (req) => this.passive(req), active: (req) => this.active(req) };
  }

  /** Data connections finished so far under a control connection (newest last). */
  statsFor(parent: string): DataStats[] {
    return this.finished.filter((s) => s.parent === parent);
  }

  /** A transfer command arrived on a control connection: label its data connection. */
  noteCommand(sessionId: string, command: string): void {
    const latest = this.latest.get(sessionId);
    if (!latest || latest.command || latest.recorder.closed) {
      // The data connection is not open yet (a console connects after sending the command).
      this.pending.set(sessionId, command);
      return;
    }
    latest.command = command;
    latest.recorder.note(`Carries the data for ${command}.`);
  }

  async close(): Promise<void> {
    for (const server of this.listeners.values()) server.close();
    this.listeners.clear();
    for (const socket of this.open) socket.destroy();
  }

  private async passive(req: DataRouteRequest & { command: 'PASV' | 'EPSV'; accept(socket: Duplex): void }): Promise<PassivePort | null> {
    const control = this.options.control(req.controlPort);
    if (!control) return null;
    this.listeners.get(req.sessionId)?.close();
    // allowHalfOpen: each FIN is passed on as it comes, so either end closes when it chooses.
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    const port = await this.listen(server);
    this.listeners.set(req.sessionId, server);
    const idle = setTimeout(() => server.close(), IDLE_PASSIVE_MS);
    idle.unref();
    server.on('close', () => {
      clearTimeout(idle);
      if (this.listeners.get(req.sessionId) === server) this.listeners.delete(req.sessionId);
    });
    server.on('connection', (client) => {
      if (plain(client.remoteAddress) !== control.clientAddress) {
        control.recorder.note(`Refused a connection to passive port ${port} from ${plain(client.remoteAddress)}.`, ftpAnnotation('ftp.data.stolen', 'RFC 2577 §8', 'warn'));
        client.destroy();
        return;
      }
      server.close();
      // The lab's address this data connection reached (LAB_HOST, or on a LAN bind the one advertised).
      const reached = plain(client.localAddress) || control.serverAddress;
      const from = `${plain(client.remoteAddress)}:${client.remotePort}`;
      const recorder = this.recorder(req.sessionId, control, from, `data (passive, ${req.command}) client → server :${port}`, `${reached}:${port}`);
      const text = `Passive data connection: the client ${from} connected to the server's port ${port}, announced in the ${req.command === 'PASV' ? '227' : '229'} reply.`;
      const annotation = ftpAnnotation('ftp.data.passive', 'RFC 959 §3.2; RFC 2428 §3');
      recorder.note(text, annotation);
      // On the control connection too, before the server can see it (and answer 150).
      control.recorder.note(`Data connection opened (${req.command}): ${from} → ${reached}:${port}`, annotation);
      // The server takes its end in-process: no second loopback hop, no internal port.
      const [upstream, serverEnd] = serverPair({ address: plain(client.remoteAddress), port: client.remotePort ?? 0 }, { address: reached, port });
      this.bridge(client, upstream, recorder, control, { mode: 'passive', from, to: `${reached}:${port}`, tls: req.tls, parent: control.recorder.info.id });
      req.accept(serverEnd);
    });
    return { address: control.serverAddress, port };
  }

  private async active(req: DataRouteRequest & { host: string; port: number; command: string }): Promise<Duplex | null> {
    const control = this.options.control(req.controlPort);
    if (!control) return null;
    const to = `${req.host}:${req.port}`;
    this.pending.delete(req.sessionId);
    const recorder = this.recorder(req.sessionId, control, to, `data (active) server → client ${to}`);
    this.latest.set(req.sessionId, { recorder, command: req.command });
    recorder.note(`Active data connection for ${req.command}: the SERVER connects to the client at ${to}, as PORT/EPRT asked.`, ftpAnnotation('ftp.data.active', 'RFC 959 §3.2'));
    if (this.firewallOf(control.owner.sandbox)) {
      const text = `The server's connection to ${to} was dropped by the client's firewall / NAT (simulated). The server will answer 425.`;
      const annotation = ftpAnnotation('ftp.data.firewall', 'RFC 959 §4.2.2; RFC 1579', 'error');
      recorder.note(text, annotation);
      control.recorder.note(text, annotation);
      recorder.close();
      throw new Error('blocked by the client firewall');
    }
    let wire: net.Socket;
    try {
      wire = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: req.host, port: req.port, timeout: CONNECT_TIMEOUT_MS, allowHalfOpen: true });
        s.once('connect', () => resolve(s));
        s.once('timeout', () => s.destroy(new Error('timed out')));
        s.once('error', reject);
      });
    } catch (err) {
      const text = `The server could not reach ${to} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). It will answer 425.`;
      const annotation = ftpAnnotation('ftp.data.refused', 'RFC 959 §4.2.2', 'error');
      recorder.note(text, annotation);
      control.recorder.note(text, annotation);
      recorder.close();
      throw err;
    }
    wire.setTimeout(0);
    wire.pause();
    // Before the server learns the address to use: this note precedes its 150.
    control.recorder.note(`Data connection opened (active, for ${req.command}): server → client ${to}`, ftpAnnotation('ftp.data.active', 'RFC 959 §3.2'));
    // The server gets its end in-process: no internal port for it to connect to.
    const [upstream, serverEnd] = serverPair({ address: req.host, port: req.port }, { address: plain(wire.localAddress), port: wire.localPort ?? 0 });
    this.bridge(wire, upstream, recorder, control, { mode: 'active', from: 'server', to, tls: req.tls, parent: control.recorder.info.id });
    return serverEnd;
  }

  /** `server` is the lab's passive port the client reached (an active connection is the server's own, from port 20 in exports). */
  private recorder(sessionId: string, control: ControlInfo, client: string, label: string, server?: string): ConnectionRecorder {
    const recorder = new ConnectionRecorder(this.options.bus, { protocol: 'ftp', sandbox: control.recorder.info.sandbox, client, ...(server ? { server } : {}), label, parent: control.recorder.info.id });
    const command = this.pending.get(sessionId) ?? null;
    this.pending.delete(sessionId);
    this.latest.set(sessionId, { recorder, command });
    if (command) recorder.note(`Carries the data for ${command}.`);
    return recorder;
  }

  /** Picks the next free port of the range (round robin), or any free port. */
  private async listen(server: net.Server): Promise<number> {
    const { range, host } = this.options;
    const candidates = range ? Array.from({ length: range.max - range.min + 1 }, (_, i) => range.min + ((this.nextPort + i) % (range.max - range.min + 1))) : [0];
    for (const port of candidates) {
      const ok = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, host, () => resolve(true));
      });
      if (ok) {
        server.removeAllListeners('error');
        server.on('error', () => server.close());
        if (range) this.nextPort = (port - range.min + 1) % (range.max - range.min + 1);
        return (server.address() as net.AddressInfo).port;
      }
    }
    throw new Error(`all passive ports ${range?.min}–${range?.max} are busy`);
  }

  /**
   * Runs the data connection through the tap's pipeline (gates on the control tap's step mode,
   * the data summariser, its own recorder). Each FIN is passed on when the bytes in front of it
   * are through; the first one is the end of the data (stream mode, RFC 959 §3.4.1) and is noted
   * on the control connection as it is passed on: after the replies step mode released before
   * it (150), before the 226 the server sends once the data connection has closed.
   */
  private bridge(clientSide: net.Socket, serverSide: MemorySocket, recorder: ConnectionRecorder, control: ControlInfo, meta: Omit<DataStats, 'conn' | 'bytesFromClient' | 'bytesFromServer' | 'ms'>): void {
    const started = performance.now();
    const read = { client: 0, server: 0 };
    const firstBytes = { client: [] as Buffer[], server: [] as Buffer[] };
    let eofNoted = false;
    // Bytes delivered from each side (what crossed the other's wire): a TLS close_notify that follows
    // the client's half-close and can no longer reach it is not counted.
    const delivered = () => ({ client: serverSide.bytesWritten, server: clientSide.bytesWritten });
    const noteEof = (dir: 'client' | 'server', how: 'closed' | 'reset') => {
      if (eofNoted) return;
      eofNoted = true;
      // A reset counts what got through: a cut (ftp.data-drop) passes 1,000 of the server's 4,800 bytes.
      const bytes = how === 'reset' ? Math.min(read[dir], delivered()[dir]) : read[dir];
      control.recorder.record(endOfDataNote(dir, how, bytes, meta.tls, Buffer.concat(firstBytes[dir]), recorder.info.id), 'wire');
    };
    this.open.add(clientSide).add(serverSide);
    // A client that resets (or closes while the server still sends, which its TCP answers with a reset)
    // reaches the server as a failure, not as an orderly end: its writes would vanish and 226 follow.
    // Before the pipeline's own 'error' listener, which ends the server's side without one.
    clientSide.once('error', (err) => {
      if (!serverSide.readableEnded) serverSide.destroy(err);
    });
    const silence = meta.tls ? setTimeout(() => noteTlsSilence(recorder, control, meta.mode), TLS_SILENCE_MS) : null;
    silence?.unref();
    for (const [socket, dir] of [[clientSide, 'client'], [serverSide, 'server']] as const) {
      socket.on('data', (chunk: Buffer) => {
        if (silence) clearTimeout(silence);
        if (read[dir] < NOTE_PREVIEW_BYTES) firstBytes[dir].push(chunk.subarray(0, NOTE_PREVIEW_BYTES - read[dir]));
        read[dir] += chunk.length;
      });
      // Ours ended (its FIN sent): the peer gets a while to close its side too, not forever.
      socket.once('finish', () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
    }
    runPipeline({
      client: clientSide,
      upstream: serverSide,
      recorder,
      step: control.step,
      owner: control.owner,
      dissector: createFtpDataDissector({ tls: meta.tls }),
      // A side that closed without its FIN (a reset) is passed on as an end too.
      onEnd: (dir) => noteEof(dir, (dir === 'client' ? clientSide : serverSide).readableEnded ? 'closed' : 'reset'),
      onClose: () => {
        if (silence) clearTimeout(silence);
        this.open.delete(clientSide);
        this.open.delete(serverSide);
        const counts = delivered();
        noteEof(counts.client > counts.server ? 'client' : 'server', 'reset');
        const ms = performance.now() - started;
        recorder.record(summaryNote(meta, counts, ms), 'wire');
        this.finished.push({ ...meta, conn: recorder.info.id, bytesFromClient: counts.client, bytesFromServer: counts.server, ms: Math.round(ms * 10) / 10 });
        if (this.finished.length > 500) this.finished.splice(0, this.finished.length - 500);
      },
    });
  }
}

/**
 * A PROT P data connection on which neither side has sent a byte: the server waits for the client's
 * ClientHello, since the FTP client is always the TLS client, whichever side connected (RFC 4217 §7).
 * curl 7.87–7.88 (Debian 12's) never starts TLS on an active-mode data connection (curl issue #10666),
 * so both sides wait until one gives up; said on both connections, where the class is looking.
 */
function noteTlsSilence(recorder: ConnectionRecorder, control: ControlInfo, mode: DataStats['mode']): void {
  // Step mode may be holding the 150 the client waits for before its handshake.
  if (recorder.closed || control.step.isHeld(recorder.info.id)) return;
  const key = mode === 'active' ? 'ftp.data.tls-silent-active' : 'ftp.data.tls-silent';
  const annotation = ftpAnnotation(key, 'RFC 4217 §7', 'warn');
  const text = `No TLS handshake on this data connection after ${TLS_SILENCE_MS / 1000} s: under PROT P the FTP client starts TLS here, and the server waits for its ClientHello.`;
  recorder.note(text, annotation);
  control.recorder.note(text, annotation);
}

/** The data connection's last note: bytes each way, how long, at what rate. */
function summaryNote(meta: Omit<DataStats, 'conn' | 'bytesFromClient' | 'bytesFromServer' | 'ms'>, counts: { client: number; server: number }, ms: number): DissectedMessage {
  const mbps = ((counts.client + counts.server) / 1e6 / Math.max(ms / 1000, 1e-6)).toFixed(1);
  return {
    dir: 'note',
    kind: 'note',
    text: `Data connection closed: ${groupDigits(counts.client)} bytes client→server, ${groupDigits(counts.server)} bytes server→client in ${ms.toFixed(1)} ms.`,
    bytes: 0,
    fields: [
      { name: 'mode', value: meta.mode },
      { name: 'from', value: meta.from },
      { name: 'to', value: meta.to },
      { name: 'protection', value: meta.tls ? 'PROT P (TLS)' : 'clear' },
      { name: 'bytes client→server', value: String(counts.client) },
      { name: 'bytes server→client', value: String(counts.server) },
      { name: 'duration ms', value: ms.toFixed(1) },
      { name: 'MB/s', value: mbps },
    ],
    annotation: ftpAnnotation('ftp.data.summary', 'RFC 959 §3.3'),
    phase: 'data',
  };
}
