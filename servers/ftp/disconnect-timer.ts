/**
 * Fix: ftp-srv 4.6.3's `disconnectClient` (src/index.js) arms `setTimeout(reject, options.timeout)`
 * on every disconnect and never clears it. The promise has already resolved by then, so the timer
 * does nothing but hold the event loop: with our 10-minute idle `timeout`, a process whose FTP
 * server has stopped stays alive 10 minutes (bench:ftp "hung with no connection open").
 * We replace the method on the instance with the same steps minus that timer.
 * Pinned to ftp-srv 4.6.x: re-check FtpServer#disconnectClient when upgrading.
 */
import type { FtpSrv } from 'ftp-srv';
import type { BunyanLike, FtpConnectionLike } from './internals.ts';

/** The fields of ftp-srv's FtpServer that `disconnectClient` reads. */
interface FtpServerInternals {
  connections: Record<string, Pick<FtpConnectionLike, 'close'>>;
  log: BunyanLike;
  disconnectClient(id: string): Promise<unknown>;
}

function internals(server: FtpSrv): FtpServerInternals {
  const candidate = server as unknown as Partial<FtpServerInternals>;
  if (typeof candidate.disconnectClient !== 'function' || typeof candidate.connections !== 'object' || !candidate.log) {
    throw new Error('ftp-srv internals changed: FtpServer#disconnectClient/connections not found (see servers/ftp/disconnect-timer.ts)');
  }
  return candidate as FtpServerInternals;
}

/** Makes `server` drop a client without leaving a timer behind; returns the server. */
export function withoutDisconnectTimer(server: FtpSrv): FtpSrv {
  const inner = internals(server);
  inner.disconnectClient = (id: string) => {
    const client = inner.connections[id];
    if (!client) return Promise.resolve();
    delete inner.connections[id];
    try {
      // Code 0: no reply, just destroy the control socket (as ftp-srv does here).
      void Promise.resolve(client.close(0)).catch((err: unknown) => inner.log.error(err, 'Error closing connection', { id }));
    } catch (err) {
      inner.log.error(err, 'Error closing connection', { id });
    }
    return Promise.resolve('Disconnected');
  };
  return server;
}
