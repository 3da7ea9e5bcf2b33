/**
 * The one event type every protocol emits (see DESIGN.md "One event type").
 * Wire chunks are turned into LabMessages by a dissector; endpoint adapters
 * (library loggers, hooks) produce the same type with view 'endpoint'.
 */

/**
 * Protocol ids used in the API, the store and the UI: one per lab in servers/abouts.ts, live or coming.
 * A closed list here, not derived from the labs, because lib/ is the kernel and imports no lab; the
 * API and the WebSocket validate input against it at run time. tests/integration/lab-registry.test.ts
 * fails, naming the id, if it and servers/abouts.ts disagree.
 */
export const PROTOCOLS = ['smtp', 'ftp', 'ssh', 'soap', 'zmq', 'policy', 'gateway'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Who sent it; 'note' is the lab explaining something (TLS started, connection closed…). */
export type Dir = 'client' | 'server' | 'note';

/** 'wire' = decoded from the bytes an eavesdropper sees; 'endpoint' = what the server saw after decryption. */
export type View = 'endpoint' | 'wire';

export type Level = 'info' | 'warn' | 'error';

/** One labelled value inside a message (a command argument, a reply's enhanced status code…). */
export interface Field {
  name: string;
  value: string;
  note?: string;
  /**
   * Where the field lies in its message's bytes, [start, end), when the dissector knows it: a binary
   * protocol's (ZMTP) values are decoded, so the bytes view could not find them by their text. Text
   * protocols leave both out; their values are found in the bytes (components/player/field-spans.ts).
   */
  start?: number;
  end?: number;
}

/** Why a message matters, in teaching prose, with its source. */
export interface Annotation {
  /** Table key, dotted like a display filter: 'smtp.reply.250'. */
  key?: string;
  title: string;
  explain: string;
  ref?: string;
  level?: Level;
}

/** A message id's two parts, `<connection id>:<seq>` as stampMessage makes it; null when it names no connection. */
export function messageIdParts(id: string): { conn: string; seq: string } | null {
  const at = id.lastIndexOf(':');
  return at > 0 ? { conn: id.slice(0, at), seq: id.slice(at + 1) } : null;
}

/** A dissected protocol message as stored, served by the API and streamed to the browser. */
export interface LabMessage {
  id: string;
  conn: string;
  sandbox: string;
  protocol: Protocol;
  /** Per-connection order, starting at 1. */
  seq: number;
  /** Milliseconds since the connection started (monotonic clock). */
  t: number;
  dir: Dir;
  view: View;
  /** 'command' | 'reply' | 'data' | 'tls-record' | 'packet' | 'note' | … */
  kind: string;
  /** What a terminal prints; control characters already escaped (see escape.ts). */
  text: string;
  fields?: Field[];
  annotation?: Annotation;
  /** 'greeting' | 'envelope' | 'data' | 'tls' | 'auth' | 'kex' | … */
  phase?: string;
  /** Raw byte count this message covers on the wire (for summaries and step mode). */
  bytes?: number;
  /**
   * Offset of the message's first byte in its direction's stream as the tap forwarded it (wire
   * view only): with `bytes`, where the bytes view and the pcapng export find it in the capture.
   */
  at?: number;
  /** Set when step mode's hold-edit-release changed it: what was held before the edit. */
  edited?: { original: string };
  /** Set when a scripted fault produced or changed it: which rule did it (lib/faults). */
  injected?: { rule: string; title: string };
  /** Where `text` holds a credential: shown to the connection's own sandbox only (lib/wire/redact.ts). */
  secret?: SecretSpan;
}

/**
 * The part of a message's text that is a credential, as its dissector found it: FTP PASS's argument,
 * an SMTP AUTH response, an Authorization header's credentials. [start, end) in UTF-16 units.
 */
export interface SecretSpan {
  start: number;
  end: number;
}

/** A connection as listed by /api/connections. */
export interface ConnectionInfo {
  id: string;
  protocol: Protocol;
  sandbox: string;
  /** Wall-clock start, ms since epoch, to a tenth (messages' `t` count from it: see messageTick). */
  startedAt: number;
  endedAt: number | null;
  messageCount: number;
  /** The client's address as seen by the tap, e.g. '127.0.0.1:53412'. */
  client: string;
  /** The address the client connected to (the lab's public port), e.g. '127.0.0.1:2525'. */
  server?: string;
  /** Free-form label: CONSOLE_LABEL, 'sftp file panel', 'data (passive, PASV) …'. */
  label?: string;
  /** For secondary connections (FTP data): the control connection they belong to. */
  parent?: string;
  /**
   * Opened by a lab page for its browser (a console, a file panel): step mode holds it from that page
   * only, never from another page such as the player (lib/wire/step.ts).
   */
  openedByPage?: boolean;
  /**
   * Filed in its fallback sandbox only because it ended without a login (a refused or abandoned login of
   * an external client, whoever's it was): that sandbox's own pages show it, its class's followers never.
   */
  unclaimed?: boolean;
}

/** The label of a connection a lab page's console opens. */
export const CONSOLE_LABEL = 'browser console';

/**
 * When a message happened, in tenths of a millisecond since the epoch: its connection's start plus its
 * `t`, both on that grid (lib/wire/recorder.ts). A whole number, so two messages of the same instant
 * compare equal instead of by floating-point noise in the sum (a parent's line and its child's first).
 */
export function messageTick(startedAt: number, t: number): number {
  return Math.round((startedAt + t) * 10);
}
