/**
 * Scripted faults (issue 13): reproducible, named rules as data, toggled in the UI or by a lesson
 * step, applied at the tap (the lab rewrites or answers a message on the wire) or by the lab's own
 * server. Every reply or action a rule causes is marked in the transcript as injected, naming the
 * rule (LabMessage.injected). Unlike random chaos, the same rule armed the same way does the same
 * thing every time.
 */
import type { Protocol } from '../wire/event.ts';

/** A rule the lab knows (its catalogue entry). */
export interface FaultRule {
  /** 'smtp.rcpt-451-second', 'ftp.pasv-unreachable', … */
  id: string;
  lab: Protocol;
  /** What it does, as the UI lists it: "The 2nd RCPT gets 451 4.3.0". */
  title: string;
  /** Why a student would want to see it, and the RFC section that says what clients must do. */
  explain: string;
  ref?: string;
  /** Where it acts: on the wire by the tap, or by the lab's server. */
  at: 'tap' | 'server';
  /** A number the rule takes (the byte count after which a data connection drops), with its default. */
  param?: { name: string; default: number; min: number; max: number };
  /**
   * It changes something every sandbox shares (the SSH server's host key): only the machine owner
   * arms it, as only the owner presses the SSH lab's Rotate button.
   */
  shared?: boolean;
}

/** Which connections an armed rule applies to. */
export type FaultScope = { kind: 'sandbox' } | { kind: 'connection'; conn: string };

/** A rule switched on in one sandbox. */
export interface ArmedFault {
  rule: string;
  sandbox: string;
  scope: FaultScope;
  /** How many more times it fires; null = until disarmed. */
  remaining: number | null;
  param?: number;
  armedAt: number;
  /** The lesson whose what-if armed it: leaving or restarting that lesson disarms it. None: the Faults menu (or a script) armed it. */
  lesson?: string;
}
