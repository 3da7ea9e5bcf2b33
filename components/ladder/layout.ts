/**
 * The ladder (sequence diagram) of one connection or a selection, laid out from its messages alone:
 * who talks to whom (lanes) and every exchange in wire order (rows). Pure, so the SVG stays dumb
 * and the rules are tested (layout.test.ts).
 *
 * Lanes: per protocol, each connection's client, the lab between them when it has something to
 * say (its notes, injected messages; the access-control lab's interceptor), the server, then a
 * lane for each child connection (an FTP data connection, a connection through an SSH tunnel) and
 * for each payload handed to a child dissector (SOAP in a mail body). A child of the same protocol
 * runs between its parent's two parties (FTP data: same client, another server port); a child of
 * another protocol was opened by its parent's server (the SSH server relaying a tunnel).
 *
 * Rows: one per message, except that the parts of one message as a dissector frames them (HTTP
 * headers and body, a mail's body lines, FEAT lines, a run of TLS records) share the row of the
 * message they belong to. Rows of different connections are merged by time; within one connection
 * they keep their order (seq), whatever the clock says.
 */
import { messageTick, type ConnectionInfo, type Dir, type LabMessage, type Level, type Protocol } from '@/lib/wire/event.ts';

export type LaneRole = 'client' | 'lab' | 'server' | 'child' | 'handoff';

/** One party of the diagram, left to right. */
export interface LadderLane {
  id: string;
  role: LaneRole;
  label: string;
  /** A second line: an address, what the lane stands for. */
  detail?: string;
}

/** 'arrow': a message between two lanes; 'note': the lab (or a child lane) explaining; 'handoff': a payload handed to a child dissector. */
export type LadderRowKind = 'arrow' | 'note' | 'handoff';

/** One rung of the ladder. */
export interface LadderRow {
  /** The id of its first message: what a click selects. */
  id: string;
  /** Every message the row stands for (its first one and the parts folded into it). */
  messageIds: string[];
  conn: string;
  seq: number;
  kind: LadderRowKind;
  dir: Dir;
  /** Lane indexes; a note has from === to. */
  from: number;
  to: number;
  /** The message's first line. */
  label: string;
  /** The first annotation title among its messages. */
  title?: string;
  level?: Level;
  /** How many messages were folded into the row after the first. */
  more: number;
  injected?: { rule: string; title: string };
  edited?: { original: string };
}

export interface LadderLayout {
  lanes: LadderLane[];
  rows: LadderRow[];
  /** Rows left out beyond `maxRows`. */
  truncated: number;
}

/** How each lab's server lane is named. */
const SERVER_NAMES: Record<Protocol, string> = {
  smtp: 'SMTP server',
  ftp: 'FTP server',
  ssh: 'SSH server',
  soap: 'SOAP service host',
  zmq: 'ZeroMQ socket',
  policy: 'WS-Policy provider',
  gateway: 'service host',
};

/** The lab's lane, where a lab has its own name for what stands between client and server. */
const MIDDLE_NAMES: Partial<Record<Protocol, string>> = { gateway: 'interceptor' };

/** Notes after which the lab itself answers the client (the interceptor refusing a request). */
const ANSWERED_BY_LAB = /^access\.(deny|unauthenticated|unknown-route)$/;

/** A hand-off note names its child dissector: "… handed to the SOAP dissector" (lib/protocols/smtp/body-handoff.ts). */
const HANDOFF = /handed to the (.+?) dissector/;

/** Kinds that are part of the message before them in the same direction, as the dissectors frame them. */
const PART_OF_PREVIOUS: Record<string, (previousKind: string) => boolean> = {
  header: () => true, // HTTP: after the request or status line
  blank: () => true,
  body: () => true,
  xml: () => true, // a body's envelope lines, read by the child dissector (0 bytes)
  feature: () => true, // FTP FEAT lines, then the closing reply
  'reply-end': () => true,
  data: (previous) => previous === 'data', // SMTP: the mail's lines after the first
  'data-end': (previous) => previous === 'data',
  'tls-record': (previous) => previous === 'tls-record',
  encrypted: (previous) => previous === 'encrypted',
};

const firstLine = (text: string) => text.split('\n', 1)[0].trimEnd();

interface Party {
  client: number;
  lab: number;
  server: number;
}

/** Lanes in order; `index(id)` finds one. */
class Lanes {
  readonly list: LadderLane[] = [];
  add(lane: LadderLane): number {
    const at = this.list.findIndex((l) => l.id === lane.id);
    if (at >= 0) return at;
    this.list.push(lane);
    return this.list.length - 1;
  }
}

/** The connections whose parent is in the set, by parent; the rest are roots. */
function family(connections: ConnectionInfo[]): { roots: ConnectionInfo[]; children: Map<string, ConnectionInfo[]> } {
  const ids = new Set(connections.map((c) => c.id));
  const byStart = [...connections].sort((a, b) => a.startedAt - b.startedAt);
  const children = new Map<string, ConnectionInfo[]>();
  const roots: ConnectionInfo[] = [];
  for (const c of byStart) {
    if (c.parent && ids.has(c.parent) && c.parent !== c.id) children.set(c.parent, [...(children.get(c.parent) ?? []), c]);
    else roots.push(c);
  }
  return { roots, children };
}

const handoffName = (m: LabMessage): string | null => (m.dir === 'note' ? (HANDOFF.exec(m.text)?.[1] ?? null) : null);

/** Lays out lanes for every connection (roots grouped by protocol, children after) and returns each connection's parties. */
function layLanes(connections: ConnectionInfo[], byConn: Map<string, LabMessage[]>): { lanes: LadderLane[]; parties: Map<string, Party>; handoffLane: Map<string, Map<string, number>> } {
  const lanes = new Lanes();
  const parties = new Map<string, Party>();
  const handoffLane = new Map<string, Map<string, number>>();
  const { roots, children } = family(connections);
  const protocols = [...new Set(roots.map((r) => r.protocol))];
  for (const protocol of protocols) {
    const group = roots.filter((r) => r.protocol === protocol);
    const clients = group.map((r) => lanes.add({ id: `client:${r.id}`, role: 'client', label: r.label ?? 'client', detail: r.client }));
    const speaks = group.some((r) => (byConn.get(r.id) ?? []).some((m) => (m.dir === 'note' && !handoffName(m)) || m.injected));
    const lab = speaks || MIDDLE_NAMES[protocol] ? lanes.add({ id: `lab:${protocol}`, role: 'lab', label: MIDDLE_NAMES[protocol] ?? 'lab (tap)' }) : -1;
    const server = lanes.add({ id: `server:${protocol}`, role: 'server', label: SERVER_NAMES[protocol], detail: group.find((r) => r.server)?.server });
    group.forEach((r, i) => parties.set(r.id, { client: clients[i], lab: lab >= 0 ? lab : server, server }));
    // Payloads handed to a child dissector: one lane per child, shared by the group's connections.
    const names = new Map<string, number>();
    for (const r of group) {
      for (const m of byConn.get(r.id) ?? []) {
        const name = handoffName(m);
        if (name && !names.has(name)) names.set(name, lanes.add({ id: `handoff:${protocol}:${name}`, role: 'handoff', label: name, detail: 'read from the body' }));
      }
      handoffLane.set(r.id, names);
    }
    // Children, depth first, in the order they started.
    const addChildren = (parent: ConnectionInfo) => {
      for (const child of children.get(parent.id) ?? []) {
        const p = parties.get(parent.id)!;
        const lane = lanes.add({ id: `child:${child.id}`, role: 'child', label: child.label ?? `${child.protocol} ${child.id}`, detail: child.client });
        // Same protocol: the same two parties on another connection; another protocol: opened by the parent's server.
        parties.set(child.id, { client: child.protocol === parent.protocol ? p.client : p.server, lab: lane, server: lane });
        handoffLane.set(child.id, new Map());
        addChildren(child);
      }
    };
    group.forEach(addChildren);
  }
  return { lanes: lanes.list, parties, handoffLane };
}

/** One connection's rows, in seq order. */
function rowsOf(messages: LabMessage[], party: Party, handoffs: Map<string, number>): LadderRow[] {
  const rows: LadderRow[] = [];
  let open: LadderRow | null = null;
  let openKind = '';
  /** After a hand-off note, the child's 0-byte lines belong to it. */
  let inHandoff = false;
  let labAnswers = false;
  const fold = (row: LadderRow, m: LabMessage) => {
    row.messageIds.push(m.id);
    row.more++;
    row.title ??= m.annotation?.title;
    if (m.annotation?.level === 'error' || (m.annotation?.level === 'warn' && row.level !== 'error')) row.level = m.annotation.level;
  };
  const start = (m: LabMessage, kind: LadderRowKind, from: number, to: number): LadderRow => {
    const row: LadderRow = { id: m.id, messageIds: [m.id], conn: m.conn, seq: m.seq, kind, dir: m.dir, from, to, label: firstLine(m.text), more: 0 };
    if (m.annotation?.title) row.title = m.annotation.title;
    if (m.annotation?.level && m.annotation.level !== 'info') row.level = m.annotation.level;
    if (m.injected) row.injected = m.injected;
    if (m.edited) row.edited = m.edited;
    rows.push(row);
    return row;
  };
  for (const m of [...messages].sort((a, b) => a.seq - b.seq)) {
    const name = handoffName(m);
    if (name !== null) {
      open = start(m, 'handoff', party.server, handoffs.get(name) ?? party.server);
      openKind = 'handoff';
      inHandoff = true;
      continue;
    }
    if (open && inHandoff && !m.bytes && !(m.dir === 'note' && m.annotation)) {
      fold(open, m);
      continue;
    }
    inHandoff = false;
    if (m.dir === 'note') {
      // A bare note inside a message's parts (a decoded value under an envelope line) stays with it.
      if (open && openKind === 'xml' && !m.annotation && !m.bytes) {
        fold(open, m);
        continue;
      }
      start(m, 'note', party.lab, party.lab);
      open = null;
      openKind = 'note';
      if (m.annotation?.key && ANSWERED_BY_LAB.test(m.annotation.key)) labAnswers = true;
      continue;
    }
    const continues = open && openKind !== 'note' && openKind !== 'handoff' && open.dir === m.dir && !m.injected && !m.edited && !open.injected && PART_OF_PREVIOUS[m.kind]?.(openKind);
    if (open && continues) {
      fold(open, m);
      openKind = m.kind;
      continue;
    }
    if (m.dir === 'client') labAnswers = false;
    const fromLab = m.injected !== undefined || (m.dir === 'server' && labAnswers);
    const [from, to] = m.dir === 'client' ? [fromLab ? party.lab : party.client, party.server] : [fromLab ? party.lab : party.server, party.client];
    open = start(m, 'arrow', from, to);
    openKind = m.kind;
  }
  return rows;
}

/**
 * Merges each connection's rows by time (connection start + t of a row's first message), keeping
 * every connection's own order; at the same instant (messageTick) the connection listed first goes first.
 */
function mergeByTime(perConn: { rows: LadderRow[]; startedAt: number; times: Map<string, number> }[]): LadderRow[] {
  const heads = perConn.map(() => 0);
  const out: LadderRow[] = [];
  for (;;) {
    let best = -1;
    let bestTime = Infinity;
    perConn.forEach((c, i) => {
      const row = c.rows[heads[i]];
      if (!row) return;
      const time = messageTick(c.startedAt, c.times.get(row.id) ?? 0);
      if (time < bestTime) {
        best = i;
        bestTime = time;
      }
    });
    if (best < 0) return out;
    out.push(perConn[best].rows[heads[best]++]);
  }
}

/** Lays out the ladder of `connections` from `messages` (messages of connections not listed are left out). */
export function ladderLayout(connections: ConnectionInfo[], messages: LabMessage[], options: { maxRows?: number } = {}): LadderLayout {
  const byConn = new Map<string, LabMessage[]>(connections.map((c) => [c.id, []]));
  for (const m of messages) byConn.get(m.conn)?.push(m);
  const { lanes, parties, handoffLane } = layLanes(connections, byConn);
  // Parents before children: at the same instant a control connection's note precedes its data connection.
  const ordered = family(connections);
  const listed: ConnectionInfo[] = [];
  const walk = (c: ConnectionInfo) => {
    listed.push(c);
    for (const child of ordered.children.get(c.id) ?? []) walk(child);
  };
  ordered.roots.forEach(walk);
  const perConn = listed.map((c) => {
    const own = byConn.get(c.id) ?? [];
    return { rows: rowsOf(own, parties.get(c.id)!, handoffLane.get(c.id) ?? new Map()), startedAt: c.startedAt, times: new Map(own.map((m) => [m.id, m.t])) };
  });
  const rows = mergeByTime(perConn);
  const max = options.maxRows ?? 1500;
  return { lanes, rows: rows.slice(0, max), truncated: Math.max(0, rows.length - max) };
}
