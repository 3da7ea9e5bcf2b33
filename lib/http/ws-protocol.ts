import { z } from 'zod';
import { STEP_SCOPES, type LabEvent, type StepState } from '../bus/events.ts';
import { PROTOCOLS } from '../wire/event.ts';
import { safeJson } from './safe-json.ts';

/** A browser console's state, as the hub reports it. */
export type ConsoleStatus =
  | { state: 'connecting' }
  | { state: 'open'; conn: string }
  | { state: 'closed'; reason: string }
  /** No connection, but the console's own prompt takes lines (the SSH terminal's local shell, where `ssh …` starts one). */
  | { state: 'prompt' };

const protocol = z.enum(PROTOCOLS);
const consoleId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const size = z.number().int().min(10).max(500);
const connId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** Which of a lab's consoles to open (ZeroMQ has one per socket pattern); omitted: the lab's default. */
const consoleKind = z.string().regex(/^[a-z0-9-]{1,32}$/);

/** Everything a browser may send over /ws; anything else is answered with an error message. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('console.open'), consoleId, protocol, kind: consoleKind.optional(), cols: size.default(100), rows: size.default(30) }),
  z.object({ type: z.literal('console.send'), consoleId, line: z.string().max(64 * 1024) }),
  z.object({ type: z.literal('console.input'), consoleId, data: z.string().max(64 * 1024) }),
  z.object({ type: z.literal('console.resize'), consoleId, cols: size, rows: size }),
  z.object({ type: z.literal('console.close'), consoleId }),
  // scope: 'own' = this browser's consoles, 'connection' = one connection (conn), 'sandbox' (default) = also external clients.
  z.object({ type: z.literal('step.set'), protocol, enabled: z.boolean(), scope: z.enum(STEP_SCOPES).optional(), conn: connId.optional() }),
  z.object({ type: z.literal('step.next'), protocol }),
  z.object({ type: z.literal('step.play'), protocol, paceMs: z.number().min(50).max(10_000) }),
  z.object({ type: z.literal('step.pause'), protocol }),
  // Hold-edit-release: the next held message goes on with `text` in its place, or is dropped.
  z.object({ type: z.literal('step.edit'), protocol, text: z.string().max(256 * 1024) }),
  z.object({ type: z.literal('step.drop'), protocol }),
  // A student's page follows its class's teacher (read-only: the teacher's sessions stream in beside its own).
  z.object({ type: z.literal('follow'), enabled: z.boolean() }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Everything the daemon sends over /ws. Events are batched. */
export type ServerMessage =
  /**
   * First message: the browser's sandbox, its id (sent back with API calls as BROWSER_HEADER, so the
   * connections a route opens for it are its own), its own step state per protocol, and the daemon's
   * clock (the one connections are stamped with): a page on another machine measures an open
   * connection's age against it, not against its own clock.
   */
  | { type: 'hello'; sandbox: string; browser: string; step: StepState[]; now: number }
  | { type: 'events'; events: LabEvent[] }
  | { type: 'gap'; dropped: number }
  | { type: 'console'; consoleId: string; status: ConsoleStatus }
  | { type: 'console.output'; consoleId: string; data: string }
  /** Whose sessions this page now follows (the teacher's sandbox), or null. */
  | { type: 'follow'; following: string | null }
  | { type: 'error'; message: string };

/**
 * The one way a ServerMessage becomes a frame: safeJson, so no control character in any event,
 * status or error reaches a browser. Console output is the exception: it is a terminal stream
 * whose own colours must reach xterm, and the hub runs it through a TerminalFilter instead.
 */
export function encodeServerMessage(message: ServerMessage): string {
  return message.type === 'console.output' ? JSON.stringify(message) : safeJson(message);
}

/**
 * An `events` frame built from each event's own safeJson, so one event sent to many browsers (a
 * teacher's line to 50 followers) is serialised once: `encoded` keeps each event's text while some
 * browser may still send it. The frame is the same text encodeServerMessage gives (escaping works
 * within each string, so it composes).
 */
export function encodeEventsFrame(events: readonly LabEvent[], encoded: WeakMap<LabEvent, string>): string {
  const parts = events.map((event) => {
    let text = encoded.get(event);
    if (text === undefined) {
      text = safeJson(event);
      encoded.set(event, text);
    }
    return text;
  });
  return `{"type":"events","events":[${parts.join(',')}]}`;
}
