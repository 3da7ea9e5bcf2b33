/**
 * Tap-side scripted faults for one connection. While a rule that acts on framed messages is armed
 * for the connection, its gates frame before forwarding (as step mode does) and ask `decide` about
 * each message as it goes through: forward it, forward other bytes instead, keep it from the
 * server and answer the client in the server's place, or close the connection afterwards. Rules
 * that act on bytes (a data connection cut after N bytes) ask `cut` about each chunk.
 */
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import type { Protocol } from '../wire/event.ts';
import type { FaultEngine, FaultTarget } from './engine.ts';
import type { Injection } from './injected.ts';
import type { ArmedFault, FaultRule } from './types.ts';
import { smtpFaults } from './smtp-faults.ts';
import { ftpFaults } from './ftp-faults.ts';

export type { Injection } from './injected.ts';

/** What the gate does with one framed message. */
export interface FaultDecision {
  /** Forward these bytes and record this message in the original's place. */
  replace?: Injection;
  /** Forward nothing of the original: record it (it was sent), then this note. */
  swallow?: DissectedMessage;
  /** Bytes the lab sends the other way now (its answer to a command it kept back). */
  answer?: Injection;
  /** Bytes the lab sends this way right after the message (answers queued behind it, a 421). */
  after?: Injection[];
  /** Then the lab closes the connection. */
  close?: boolean;
}

/** A connection a tap-side rule may act on. */
export interface FaultConnection extends FaultTarget {
  protocol: Protocol;
  conn: string;
}

/** What a protocol's rules may ask: fire a rule once for this connection (consuming an occurrence). */
export interface RuleContext {
  fire(rule: string): { fault: ArmedFault; rule: FaultRule } | undefined;
  armed(rule: string): boolean;
  /** The armed rule's number (ftp.data-drop's bytes), if it is armed for this connection. */
  param(rule: string): number | undefined;
  connection: FaultConnection;
}

/** One protocol's tap-side rules, with the state they keep about one connection. */
export interface ProtocolFaults {
  /** Rules that need the gates to frame before forwarding. */
  framingRules: readonly string[];
  /** Rules that act on bytes (checked per chunk, no framing needed). */
  byteRules?: readonly string[];
  decide(ctx: RuleContext, dir: StreamDir, message: DissectedMessage, bytes: Buffer): FaultDecision | null;
  /** True while the rules still owe this connection something (an answer queued behind pending replies), armed or not. */
  busy?(): boolean;
  cut?(ctx: RuleContext, dir: StreamDir, length: number): { pass: number; note: DissectedMessage } | null;
}

/** The tap-side rules of each protocol, built per connection (they keep per-connection state). */
const PROTOCOL_FAULTS: Partial<Record<Protocol, (connection: FaultConnection) => ProtocolFaults>> = {
  smtp: () => smtpFaults(),
  ftp: (connection) => ftpFaults(connection.parent !== undefined),
};

export class ConnectionFaults {
  private readonly rules: ProtocolFaults | undefined;
  private readonly ctx: RuleContext;

  constructor(
    private readonly engine: FaultEngine,
    readonly connection: FaultConnection,
  ) {
    this.rules = PROTOCOL_FAULTS[connection.protocol]?.(connection);
    this.ctx = {
      connection,
      fire: (id) => {
        const fault = engine.fire(id, connection);
        const rule = fault && engine.rule(id);
        return fault && rule ? { fault, rule } : undefined;
      },
      armed: (id) => engine.peek(id, connection) !== undefined,
      param: (id) => engine.peek(id, connection)?.param,
    };
  }

  /** Whether a rule armed for this connection needs its gates to frame before forwarding. */
  get framing(): boolean {
    if (!this.rules) return false;
    return this.rules.busy?.() === true || (this.rules.framingRules.length > 0 && this.engine.anyArmed(this.rules.framingRules, this.connection));
  }

  /** What to do with one framed message whose bytes were all held (never called for bytes already forwarded). */
  decide(dir: StreamDir, message: DissectedMessage, bytes: Buffer): FaultDecision | null {
    if (!this.rules || message.dir === 'note') return null;
    return this.rules.decide(this.ctx, dir, message, bytes);
  }

  /** Byte rules: how many bytes of a chunk pass before the lab cuts the connection, or null (all pass). */
  cut(dir: StreamDir, length: number): { pass: number; note: DissectedMessage } | null {
    const rules = this.rules;
    if (!rules?.cut || !rules.byteRules || !this.engine.anyArmed(rules.byteRules, this.connection)) return null;
    return rules.cut(this.ctx, dir, length);
  }
}
