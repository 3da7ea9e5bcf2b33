/**
 * FTPS vs SFTP, measured: the same upload + download of the same random bytes, once with FTPS
 * (AUTH TLS, PROT P, passive) through this lab's tap, once with SFTP through the SSH lab (when it
 * runs), filling the comparison table from the real sessions rather than from a textbook.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import SftpClient from 'ssh2-sftp-client';
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import type { LabContext } from '../../daemon/lab.ts';
import { labHostKeyVerifier } from '../../ssh/published-host-keys.ts';
import { FriendlyClient } from './client-mode.ts';
import type { DataRelays } from './data-relays.ts';

/** One column of the comparison table. */
export interface ComparisonRow {
  protocol: 'FTPS' | 'SFTP';
  ok: boolean;
  error?: string;
  tcpConnections: number;
  ports: string[];
  encrypted: string;
  auth: string;
  payloadBytes: number;
  bytesOnWire: number;
  ms: number;
  connections?: string[];
}

/** What both runs need: the lab, and the page they run for (its sandbox and step mode). */
interface CompareDeps {
  ctx: LabContext;
  tap: Tap;
  relays: DataRelays;
  owner: ConnectionOwner;
}

async function ftps(deps: CompareDeps, payload: Buffer, file: string): Promise<ComparisonRow> {
  const { ctx, tap, relays, owner } = deps;
  const bytes = new Map<string, number>();
  const parents = new Map<string, string | undefined>();
  const unsubscribe = ctx.bus.subscribe((event) => {
    if (event.type === 'connection.open' && event.connection.protocol === 'ftp') parents.set(event.connection.id, event.connection.parent);
    if (event.type === 'message' && event.message.protocol === 'ftp' && event.message.view === 'wire') bytes.set(event.message.conn, (bytes.get(event.message.conn) ?? 0) + (event.message.bytes ?? 0));
  });
  const client = new FriendlyClient(tap, { ...ctx.clientLogin(owner.sandbox), log: () => {}, owner, label: 'FTPS vs SFTP comparison' });
  client.secure = true;
  const started = performance.now();
  try {
    const conn = await client.open();
    await client.put(file, payload);
    const back = await client.get(file);
    await client.remove(file);
    client.close();
    const ms = performance.now() - started;
    if (!back.equals(payload)) throw new Error('downloaded bytes differ');
    // A relay finishes its record just after the client sees 226: wait (bounded) until all have.
    const opened = () => [...parents.values()].filter((p) => p === conn).length;
    for (let i = 0; i < 200 && relays.statsFor(conn).length < opened(); i++) await new Promise((r) => setTimeout(r, 10));
    const data = relays.statsFor(conn);
    const mine = [...parents].filter(([id, parent]) => id === conn || parent === conn).map(([id]) => id);
    return {
      protocol: 'FTPS',
      ok: true,
      tcpConnections: 1 + data.length,
      ports: [`control ${tap.port}`, ...data.map((d) => `data ${d.mode} ${d.to}`)],
      encrypted: 'control: TLS after AUTH TLS (the greeting and AUTH TLS itself cross in clear); data: TLS per data connection (PROT P)',
      auth: 'USER/PASS inside TLS; the server proves itself with an X.509 certificate (self-signed here, so the client skipped verification)',
      payloadBytes: payload.length * 2,
      bytesOnWire: mine.reduce((n, id) => n + (bytes.get(id) ?? 0), 0),
      ms: Math.round(ms),
      connections: mine,
    };
  } catch (err) {
    client.close();
    return { protocol: 'FTPS', ok: false, error: (err as Error).message, tcpConnections: 0, ports: [], encrypted: '', auth: '', payloadBytes: 0, bytesOnWire: 0, ms: 0 };
  } finally {
    unsubscribe();
  }
}

/** Always the SSH lab's own tap. Every page may call this, and a port it named would make the daemon dial anything on loopback. */
async function sftp(ctx: LabContext, owner: ConnectionOwner, payload: Buffer, file: string): Promise<ComparisonRow> {
  const failed = (error: string): ComparisonRow => ({ protocol: 'SFTP', ok: false, error, tcpConnections: 0, ports: [], encrypted: '', auth: '', payloadBytes: 0, bytesOnWire: 0, ms: 0 });
  const sshLab = ctx.labs?.find((lab) => lab.protocol === 'ssh');
  if (!sshLab) return failed('The SSH lab is not running, so there is no SFTP server to compare with.');
  const sshPort = sshLab.tap.port;
  const sock = net.connect(sshPort, sshLab.tap.dialHost);
  // Filed as the page's own connection (its sandbox's files and transcript).
  sshLab.tap.ownSocket(sock, { ...owner });
  const client = new SftpClient();
  const login = ctx.clientLogin(owner.sandbox);
  let fingerprint = '';
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', () => resolve());
      sock.once('error', reject);
    });
    await client.connect({
      sock,
      username: login.user,
      password: login.password,
      hostVerifier: labHostKeyVerifier(sshLab, ctx, (seen) => (fingerprint = seen)),
    } as Parameters<SftpClient['connect']>[0]);
    await client.put(payload, `/${file}`);
    const back = (await client.get(`/${file}`)) as Buffer;
    await client.delete(`/${file}`);
    await client.end();
    const ms = performance.now() - started;
    if (!Buffer.from(back).equals(payload)) throw new Error('downloaded bytes differ');
    return {
      protocol: 'SFTP',
      ok: true,
      tcpConnections: 1,
      ports: [`ssh ${sshPort}`],
      encrypted: 'everything after the version lines and key exchange: auth, commands and data in one SSH channel',
      auth: `password inside the encrypted SSH connection; the server proves itself with its host key ${fingerprint} (matches the lab's)`,
      payloadBytes: payload.length * 2,
      bytesOnWire: sock.bytesRead + sock.bytesWritten,
      ms: Math.round(ms),
    };
  } catch (err) {
    await client.end().catch(() => {});
    sock.destroy();
    return failed((err as Error).message);
  }
}

/** Runs both and returns the table (SFTP says why when it could not run). */
export async function compareFtpsWithSftp(deps: CompareDeps & { bytes: number }): Promise<{ bytes: number; rows: ComparisonRow[] }> {
  const payload = randomBytes(deps.bytes);
  const file = `compare-${randomBytes(4).toString('hex')}.bin`;
  const rows = [await ftps(deps, payload, file), await sftp(deps.ctx, deps.owner, payload, file)];
  return { bytes: deps.bytes, rows };
}
