/**
 * A bunyan-shaped logger for ftp-srv that turns its trace lines into typed events: commands arrive
 * as `trace({command:{directive,arg}}, 'Handle command')` (PASS already masked by ftp-srv) and
 * replies as `trace({port, message}, 'Reply')` — for the control socket, and also for LIST lines
 * written to a data socket, which we tell apart by the local port.
 */
import type { BunyanLike } from './internals.ts';

/** Events the logger produces (a subset of the server's events). */
export interface FtpLogEvents {
  command: [{ sessionId: string; directive: string; arg: string | null }];
  reply: [{ sessionId: string; text: string }];
}

/** Builds the logger; `controlPort()` is the server's listening port (replies on it are control replies). */
export function eventLogger(events: { emit<K extends keyof FtpLogEvents>(event: K, ...args: FtpLogEvents[K]): boolean }, controlPort: () => number): BunyanLike {
  const make = (fields: Record<string, unknown>): BunyanLike => {
    const trace = (...args: unknown[]) => {
      const [meta, message] = args as [Record<string, unknown> | undefined, unknown];
      const sessionId = typeof fields.id === 'string' ? fields.id : '';
      if (!sessionId || typeof meta !== 'object' || meta === null || Array.isArray(meta)) return;
      if (message === 'Handle command') {
        const command = meta.command as { directive?: unknown; arg?: unknown } | undefined;
        if (typeof command?.directive !== 'string') return;
        events.emit('command', { sessionId, directive: command.directive, arg: typeof command.arg === 'string' ? command.arg : null });
      } else if (message === 'Reply' && typeof meta.message === 'string' && meta.port === controlPort()) {
        events.emit('reply', { sessionId, text: meta.message });
      }
    };
    const ignore = () => {};
    return { trace, debug: ignore, info: ignore, warn: ignore, error: ignore, fatal: ignore, child: (more) => make({ ...fields, ...more }) };
  };
  return make({});
}
