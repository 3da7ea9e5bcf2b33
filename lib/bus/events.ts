import type { ConnectionInfo, LabMessage, Protocol } from '../wire/event.ts';

/** Step-mode state of one protocol's tap, as shown by the Step/Play controls. */
export interface StepState {
  protocol: Protocol;
  enabled: boolean;
  /** Messages framed and held, waiting for Step. */
  held: number;
  /** Play mode: release one held message every `paceMs`; null = paused. */
  playing: boolean;
  paceMs: number;
  /** The message Step releases next: its connection, who sent it and its first line, so a class knows what is held. */
  next?: HeldPreview;
}

/** What a held message is, shown beside the Step button. */
export interface HeldPreview {
  conn: string;
  /** How the lab lists the connection: 'browser console', or the client's address. */
  connection: string;
  dir: 'client' | 'server' | 'note';
  text: string;
}

/** A delivered mail as listed by /api/mailbox. */
export interface MailSummary {
  id: string;
  sandbox: string;
  from: string;
  to: string[];
  subject: string;
  date: number;
  size: number;
  /** The SMTP connection that delivered it. */
  conn: string | null;
  messageId: string | null;
  inReplyTo: string | null;
}

/** Everything the daemon's parts tell each other. Producers publish; store and hub subscribe. */
export type LabEvent =
  | { type: 'connection.open'; connection: ConnectionInfo }
  | { type: 'connection.close'; connection: ConnectionInfo }
  | { type: 'message'; message: LabMessage }
  | { type: 'step'; state: StepState }
  | { type: 'mail'; mail: MailSummary };
