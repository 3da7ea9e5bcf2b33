import type { ArmedFault } from '../faults/types.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '../wire/event.ts';

/**
 * What a holder's step mode covers: its own consoles' connections ('own'), one connection
 * ('connection'), or every connection of its sandbox that no other browser opened ('sandbox').
 */
export type StepScope = { kind: 'own' } | { kind: 'connection'; conn: string } | { kind: 'sandbox' };

/** The scope names the browser and the API use. */
export const STEP_SCOPES = ['own', 'connection', 'sandbox'] as const;

/** One holder's step-mode state for one protocol, as shown by its Step/Play controls. */
export interface StepState {
  protocol: Protocol;
  enabled: boolean;
  /** What Step holds while enabled. */
  scope: StepScope['kind'];
  /** The connection held, for the 'connection' scope. */
  conn?: string;
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
  /** Hold-edit-release: the whole held message as it can be edited (set when it can be). */
  full?: string;
  /** Whether it can be edited on the wire. */
  editable?: boolean;
  /** Why it cannot (an encrypted record: only the endpoint where the lab is the client can change it). */
  refusal?: string;
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

/**
 * What a teacher set for a class (issue 15), sent to every member's page: the message the class is
 * frozen on, the recorded step everyone is rewound to, and the session on the projector.
 */
export interface ClassState {
  classId: string;
  name: string;
  /** The sandbox students follow (the teacher's). */
  teacherSandbox: string;
  /** Everyone's view stops at this message of the teacher's session (null: live). */
  frozen: { conn: string; seq: number } | null;
  /** Everyone opens this recorded connection at step `step` in the session player. */
  rewind: { conn: string; step: number } | null;
  /** A student's session the teacher put on the projector. */
  projector: { sandbox: string; conn: string } | null;
}

/** Everything the daemon's parts tell each other. Producers publish; store and hub subscribe. */
export type LabEvent =
  | { type: 'connection.open'; connection: ConnectionInfo }
  /** The connection's facts changed while it is open (a label, say): replaces it in lists. */
  | { type: 'connection.update'; connection: ConnectionInfo }
  | { type: 'connection.close'; connection: ConnectionInfo }
  | { type: 'message'; message: LabMessage }
  /** A holder's step state changed; only that holder (a browser, or the API) is shown it. */
  | { type: 'step'; sandbox: string; holder: string; state: StepState }
  | { type: 'mail'; mail: MailSummary }
  /** What is armed in a sandbox changed (armed, disarmed, fired down a count): its pages show the new list. */
  | { type: 'faults'; sandbox: string; armed: ArmedFault[] }
  /** A class's state changed: its members' pages (and the teacher's) are sent it. */
  | { type: 'class'; members: readonly string[]; state: ClassState }
  /** The teacher removed a student from a class: that sandbox's pages are told (it keeps its work, in no class). */
  | { type: 'class.removed'; sandbox: string; classId: string; className: string }
  /**
   * A page of the sandbox unloaded while showing this lesson: its what-ifs are disarmed after a grace unless
   * a page still showing it says so (another window of the lesson sees no visibility change to tell it).
   */
  | { type: 'lesson.leaving'; sandbox: string; lesson: string };

/** The sandbox an event belongs to: a browser is sent only its own sandbox's events (a class event: its teacher's). */
export function sandboxOf(event: LabEvent): string {
  switch (event.type) {
    case 'class':
      return event.state.teacherSandbox;
    case 'message':
      return event.message.sandbox;
    case 'mail':
      return event.mail.sandbox;
    case 'step':
    case 'faults':
    case 'class.removed':
    case 'lesson.leaving':
      return event.sandbox;
    default:
      return event.connection.sandbox;
  }
}
