import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';

/** FTP verbs that need a data connection (RFC 959 §4.1.3, RFC 3659 §7). */
export const TRANSFER_VERBS = new Set(['LIST', 'NLST', 'MLSD', 'RETR', 'STOR', 'STOU', 'APPE']);

/** A transfer command on the control connection and the final reply it got. */
export interface TransferCommand {
  messageId: string;
  text: string;
  verb: string;
  /** ms since the control connection started. */
  t: number;
  /** 150/125 seen before the final reply. */
  preliminary: string | null;
  /** The final reply (226, 425, 550…), or null while waiting. */
  reply: string | null;
  replyCode: number | null;
  /** The data lane this command opened, if any. */
  lane: string | null;
}

/** One data connection drawn as its own lane under its control connection. */
export interface DataLane {
  id: string;
  /** 1-based, in the order the data connections opened. */
  index: number;
  mode: 'passive' | 'active' | 'unknown';
  /** PASV or EPSV for passive lanes. */
  via: string | null;
  /** Who opened the TCP connection, and to whom. */
  from: string;
  to: string;
  /** The command this connection carried ('LIST -a'), or null if unknown. */
  command: string | null;
  commandMessageId: string | null;
  /** ms from the control connection's start. */
  offset: number;
  duration: number | null;
  bytesUp: number;
  bytesDown: number;
  tls: boolean;
  state: 'open' | 'done' | 'failed';
  /** Why it failed (firewall, refused), from the lab's note. */
  failure: string | null;
  /** The final reply to the carrying command (226 / 425 …). */
  reply: string | null;
  replyCode: number | null;
}

/** The control connection and its data lanes, ready to draw on one time axis. */
export interface ChannelPicture {
  control: ConnectionInfo;
  /** ms the picture spans (control start → last event). */
  span: number;
  controlTls: boolean;
  lanes: DataLane[];
  transfers: TransferCommand[];
}

const CARRIES = /^Carries the data for (.+)\.$/;
const ACTIVE_FOR = /^Active data connection for (.+?): the SERVER/;
const LABEL = /^data \((passive|active)(?:, (\w+))?\)\s*(?:client → server :(\d+)|server → client (\S+))?/;

const verbOf = (text: string) => text.trim().split(/\s+/)[0]?.toUpperCase() ?? '';

/** A reply line's code if it ends a reply (not "211-" continuation). */
function finalCode(m: LabMessage): number | null {
  if (m.dir !== 'server') return null;
  if (m.kind !== 'reply' && m.kind !== 'reply-end') return null;
  const match = /^(\d{3})( |$)/.exec(m.text);
  return match ? Number(match[1]) : null;
}

/**
 * The transfer commands of a control connection, each with its preliminary and final reply. Replies
 * answer commands in the order they were sent, one final reply each (RFC 959 §4.2), so a client that
 * sends PASV, PASV, LIST before reading (or step mode holding them) still gets LIST its own 150/226.
 */
export function transferCommands(messages: LabMessage[]): TransferCommand[] {
  const out: TransferCommand[] = [];
  /** Commands sent and not answered yet, oldest first; null for a command that moves no data. */
  const unanswered: (TransferCommand | null)[] = [];
  for (const m of messages) {
    if (m.dir === 'client' && m.kind === 'command') {
      const verb = verbOf(m.text);
      const transfer = TRANSFER_VERBS.has(verb) ? { messageId: m.id, text: m.text.trim(), verb, t: m.t, preliminary: null, reply: null, replyCode: null, lane: null } : null;
      if (transfer) out.push(transfer);
      unanswered.push(transfer);
      continue;
    }
    const code = finalCode(m);
    if (code === null || unanswered.length === 0) continue; // the greeting, or a reply nobody asked for (421)
    const head = unanswered[0];
    if (code < 200) {
      if (head) head.preliminary ??= m.text;
      continue;
    }
    unanswered.shift();
    if (head) {
      head.reply = m.text;
      head.replyCode = code;
    }
    // After 234 the server discards whatever was sent in clear text behind AUTH TLS (RFC 4217 §4).
    if (code === 234) unanswered.length = 0;
  }
  return out;
}

function field(m: LabMessage | undefined, name: string): string | undefined {
  return m?.fields?.find((f) => f.name === name)?.value;
}

/** Builds one lane from a data connection's record and messages (command link filled in later). */
export function dataLane(info: ConnectionInfo, messages: LabMessage[], controlStart: number, index: number, now: number): DataLane {
  const label = LABEL.exec(info.label ?? '');
  const mode = label ? (label[1] as 'passive' | 'active') : 'unknown';
  let command: string | null = null;
  let failure: string | null = null;
  let tls = false;
  let summary: LabMessage | undefined;
  let up = 0;
  let down = 0;
  for (const m of messages) {
    const carries = m.dir === 'note' ? (CARRIES.exec(m.text) ?? ACTIVE_FOR.exec(m.text)) : null;
    if (carries && (!command || carries[1].length > command.length)) command = carries[1];
    if (m.annotation?.level === 'error' && m.dir === 'note') failure = m.text;
    if (m.kind === 'tls-record') tls = true;
    if (m.dir === 'note' && m.annotation?.key === 'ftp.data.summary') summary = m;
    if (m.dir === 'client' && m.kind !== 'note') up += m.bytes ?? 0;
    if (m.dir === 'server' && m.kind !== 'note') down += m.bytes ?? 0;
  }
  if (summary) {
    up = Number(field(summary, 'bytes client→server') ?? up);
    down = Number(field(summary, 'bytes server→client') ?? down);
    if (field(summary, 'protection')?.startsWith('PROT P')) tls = true;
  }
  const measured = summary ? Number(field(summary, 'duration ms')) : NaN;
  const duration = Number.isFinite(measured) ? measured : info.endedAt ? info.endedAt - info.startedAt : failure ? 0 : Math.max(0, now - info.startedAt);
  const from = mode === 'passive' ? `client ${info.client}` : mode === 'active' ? 'server' : info.client;
  const to = mode === 'passive' ? `server :${label?.[3] ?? '?'}` : mode === 'active' ? `client ${label?.[4] ?? info.client}` : 'server';
  return {
    id: info.id,
    index,
    mode,
    via: label?.[2] ?? null,
    from,
    to,
    command,
    commandMessageId: null,
    offset: Math.max(0, info.startedAt - controlStart),
    duration,
    bytesUp: up,
    bytesDown: down,
    tls,
    state: failure ? 'failed' : info.endedAt || summary ? 'done' : 'open',
    failure,
    reply: null,
    replyCode: null,
  };
}

/**
 * Links each data lane to the transfer command it carried. The lab notes that command on the lane
 * ("Carries the data for LIST"): those lanes take the unclaimed command with that text, closest in
 * time (passive clients connect just before the command, active connect-backs just after it). A lane
 * with no such note carried nothing the lab saw (a PASV replaced before any transfer): it may only
 * take a command sent before it closed, so it never claims a later command's replies.
 */
export function linkLanes(lanes: DataLane[], transfers: TransferCommand[]): void {
  const claim = (lane: DataLane, pool: TransferCommand[]) => {
    let best: TransferCommand | null = null;
    for (const c of pool) if (!best || Math.abs(c.t - lane.offset) < Math.abs(best.t - lane.offset)) best = c;
    if (!best) return;
    best.lane = lane.id;
    lane.command = best.text;
    lane.commandMessageId = best.messageId;
    lane.reply = best.reply;
    lane.replyCode = best.replyCode;
    if (best.replyCode !== null && best.replyCode >= 400 && lane.state !== 'open') lane.state = 'failed';
  };
  for (const lane of lanes) {
    const wanted = lane.command;
    if (!wanted) continue;
    claim(lane, transfers.filter((c) => !c.lane && (c.text === wanted || (!wanted.includes(' ') && c.verb === wanted.toUpperCase()))));
  }
  for (const lane of lanes) {
    if (lane.command) continue;
    const end = lane.duration === null || lane.state === 'open' ? Infinity : lane.offset + lane.duration;
    claim(lane, transfers.filter((c) => !c.lane && c.t <= end));
  }
}

/** The control connection with all of its data connections, linked to their commands. */
export function buildChannelPicture(
  control: ConnectionInfo,
  connections: ConnectionInfo[],
  messagesOf: (id: string) => LabMessage[],
  now: number,
): ChannelPicture {
  const controlMessages = messagesOf(control.id);
  const children = connections.filter((c) => c.parent === control.id).sort((a, b) => a.startedAt - b.startedAt);
  const lanes = children.map((c, i) => dataLane(c, messagesOf(c.id), control.startedAt, i + 1, now));
  const transfers = transferCommands(controlMessages);
  linkLanes(lanes, transfers);
  const lastMessage = controlMessages.at(-1)?.t ?? 0;
  // An idle console stays open for minutes: the axis ends at the last event, not at `now`.
  const controlEnd = control.endedAt ? control.endedAt - control.startedAt : lastMessage;
  const laneEnd = lanes.reduce((n, l) => Math.max(n, l.offset + (l.duration ?? 0)), 0);
  return {
    control,
    span: Math.max(1, controlEnd, laneEnd, lastMessage),
    controlTls: controlMessages.some((m) => m.kind === 'tls-record'),
    lanes,
    transfers,
  };
}
