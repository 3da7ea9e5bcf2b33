import type { IncomingMessage } from 'node:http';
import type { SandboxResolver, SocketInfo } from '../../lib/wire/tap.ts';

/**
 * The daemon's sandbox policy: the only code that decides which sandbox a browser and a
 * connection belong to (DESIGN.md "Sandboxes"). A single-user install has one sandbox; the
 * classroom mode replaces this policy (a cookie per browser, per-sandbox credentials).
 */
export interface SandboxPolicy {
  /** The sandbox of a browser request: its WebSocket and every API call it makes. */
  ofRequest(req: IncomingMessage): string;
  /** The sandbox of a connection the tap accepts (a console carries its browser's sandbox in `own`). */
  ofConnection: SandboxResolver;
}

/** Everyone in one sandbox (today's policy): external clients land there, consoles keep their browser's. */
export function singleSandbox(sandbox: string): SandboxPolicy {
  return {
    ofRequest: () => sandbox,
    ofConnection: (socket: SocketInfo) => socket.own?.sandbox ?? sandbox,
  };
}
