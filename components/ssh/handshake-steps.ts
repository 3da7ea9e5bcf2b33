/**
 * The vocabulary of the SSH handshake timeline: its steps in protocol order, their titles and RFC
 * sections, the shapes the timeline is made of, and which step a message belongs to.
 */
import type { Field, LabMessage } from '@/lib/wire/event.ts';

/** The steps, in protocol order. */
export const STEP_IDS = ['tcp', 'version', 'kexinit', 'ecdh', 'hostkey', 'newkeys', 'service', 'userauth', 'channel', 'data', 'close'] as const;
export type StepId = (typeof STEP_IDS)[number];

/** pending: not reached yet · active: in progress now · done · failed · skipped: never reached (the connection ended earlier). */
export type StepState = 'pending' | 'active' | 'done' | 'failed' | 'skipped';

/** What the client decided about the host key, when the lab knows (the browser terminal prints it). */
export type HostKeyHint = 'asking' | 'added' | 'matched' | 'changed' | 'refused';

/** One row of a step's details. */
export interface StepDetail {
  label: string;
  value: string;
  note?: string;
}

/** One algorithm category as negotiated from both KEXINITs (RFC 4253 §7.1). */
export interface Negotiated {
  category: string;
  client: string[];
  server: string[];
  chosen: string | null;
}

/** One step of the timeline. */
export interface HandshakeStep {
  id: StepId;
  title: string;
  /** Wire words of the step, e.g. `KEXINIT ⇄`. */
  wire: string;
  ref: string;
  state: StepState;
  summary: string;
  details: StepDetail[];
  /** Ids of the messages of this step, both views, in order. */
  messageIds: string[];
  /** Only for the KEXINIT step. */
  negotiation?: Negotiated[];
}

/** What the derivation needs besides the messages. */
export interface DeriveOptions {
  /** The connection has closed (ConnectionInfo.endedAt, or the console said so). */
  ended: boolean;
  /** The client's address as the tap saw it. */
  client?: string;
  hostKey?: HostKeyHint;
  /** 'wire': summaries and details only from what an eavesdropper sees (default: the endpoint view). */
  view?: 'endpoint' | 'wire';
}

/** Steps that happen inside the encrypted tunnel: an eavesdropper sees only their ciphertext. */
export const ENCRYPTED_STEPS: ReadonlySet<StepId> = new Set(['service', 'userauth', 'channel', 'data', 'close']);

export const STEP_META: Record<StepId, { title: string; wire: string; ref: string }> = {
  tcp: { title: 'TCP connect', wire: 'SYN · SYN-ACK · ACK', ref: 'RFC 4253 §4' },
  version: { title: 'Version exchange', wire: 'SSH-2.0-… ⇄', ref: 'RFC 4253 §4.2' },
  kexinit: { title: 'Algorithm negotiation', wire: 'KEXINIT ⇄', ref: 'RFC 4253 §7.1' },
  ecdh: { title: 'Key exchange (ECDH)', wire: 'KEX_ECDH_INIT → · ← KEX_ECDH_REPLY', ref: 'RFC 5656 §4; RFC 8731 §3' },
  hostkey: { title: 'Host-key check', wire: 'client vs known_hosts', ref: 'RFC 4251 §4.1; RFC 4253 §8' },
  newkeys: { title: 'Switch to the new keys', wire: 'NEWKEYS ⇄', ref: 'RFC 4253 §7.3' },
  service: { title: 'Ask for user authentication', wire: 'SERVICE_REQUEST ssh-userauth', ref: 'RFC 4253 §10' },
  userauth: { title: 'Log in', wire: 'USERAUTH_REQUEST · FAILURE/PK_OK/SUCCESS', ref: 'RFC 4252 §5, §7, §8' },
  channel: { title: 'Open a session', wire: 'CHANNEL_OPEN · pty-req · shell/exec/subsystem', ref: 'RFC 4254 §5.1, §6' },
  data: { title: 'Data', wire: 'CHANNEL_DATA', ref: 'RFC 4254 §5.2' },
  close: { title: 'Close', wire: 'exit-status · EOF · CLOSE · DISCONNECT', ref: 'RFC 4254 §5.3, §6.10; RFC 4253 §11.1' },
};

/** KEXINIT name-lists (wire field names) → the category they negotiate. */
export const LIST_CATEGORY: Record<string, string> = {
  kex_algorithms: 'kex',
  server_host_key_algorithms: 'hostkey',
  encryption_algorithms_client_to_server: 'cipher c→s',
  encryption_algorithms_server_to_client: 'cipher s→c',
  mac_algorithms_client_to_server: 'mac c→s',
  mac_algorithms_server_to_client: 'mac s→c',
  compression_algorithms_client_to_server: 'compression c→s',
  compression_algorithms_server_to_client: 'compression s→c',
};
export const CATEGORIES = Object.values(LIST_CATEGORY);

export const keyOf = (m: LabMessage) => m.annotation?.key ?? '';
export const field = (m: LabMessage | undefined, name: string): Field | undefined => m?.fields?.find((f) => f.name === name);
export const isMsg = (m: LabMessage, name: string) => keyOf(m) === `ssh.msg.${name}` || m.text === name || m.text.startsWith(`${name} `);

/** Which step a message belongs to, or null when only its neighbours can tell. */
export function classify(m: LabMessage): StepId | null {
  const key = keyOf(m);
  if (m.kind === 'version' || (m.kind === 'line' && m.phase === 'version')) return 'version';
  if (key === 'ssh.msg.KEXINIT' || m.kind === 'negotiation' || m.text.startsWith('KEXINIT')) return 'kexinit';
  if (/^ssh\.msg\.KEX_(ECDH|DH)_/.test(key) || /^KEX(_ECDH| method message)/.test(m.text)) return 'ecdh';
  if (key === 'ssh.msg.NEWKEYS' || key === 'ssh.kex.done' || key === 'ssh.msg.EXT_INFO' || /^(NEWKEYS|EXT_INFO)\b/.test(m.text)) return 'newkeys';
  if (/^SERVICE_(REQUEST|ACCEPT)/.test(m.text) || /SERVICE_(REQUEST|ACCEPT)$/.test(key)) return 'service';
  if (/^USERAUTH_/.test(m.text) || key.startsWith('ssh.auth.') || /USERAUTH_/.test(key)) return 'userauth';
  if (/^DISCONNECT\b/.test(m.text) || key.startsWith('ssh.disconnect.') || key === 'ssh.closed') return 'close';
  if (/^CHANNEL_(EOF|CLOSE)\b/.test(m.text) || key === 'ssh.channel.exit-status' || /exit-(status|signal)/.test(m.text) || m.text === 'SFTP session ended.') return 'close';
  if (/^CHANNEL_OPEN/.test(m.text) || key === 'ssh.channel.pty-req' || key === 'ssh.channel.shell' || key === 'ssh.channel.exec' || key === 'ssh.channel.subsystem' || key === 'ssh.channel.env') return 'channel';
  if (m.kind === 'command' || m.kind === 'sftp' || /^CHANNEL_(DATA|EXTENDED_DATA)\b/.test(m.text) || key === 'ssh.channel.window-change') return 'data';
  return null;
}

export const stepIndex = (id: StepId) => STEP_IDS.indexOf(id);
