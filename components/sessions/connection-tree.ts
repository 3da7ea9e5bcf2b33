/**
 * The sessions list's order: newest connection first, each connection's children (FTP data
 * connections, connections through its SSH tunnel) right under it, oldest first as they opened.
 * A child whose parent is not in the list stands on its own.
 */
import type { ConnectionInfo, LabEvent } from './types';

/** One line of the list: a connection and how deep it sits under its parents. */
export interface TreeLine {
  connection: ConnectionInfo;
  depth: number;
}

/** Orders connections for the list. */
export function connectionTree(connections: ConnectionInfo[]): TreeLine[] {
  const ids = new Set(connections.map((c) => c.id));
  const children = new Map<string, ConnectionInfo[]>();
  const roots: ConnectionInfo[] = [];
  for (const c of connections) {
    if (c.parent && c.parent !== c.id && ids.has(c.parent)) children.set(c.parent, [...(children.get(c.parent) ?? []), c]);
    else roots.push(c);
  }
  const lines: TreeLine[] = [];
  const seen = new Set<string>();
  const walk = (c: ConnectionInfo, depth: number) => {
    if (seen.has(c.id)) return; // a parent cycle in bad data: each connection once
    seen.add(c.id);
    lines.push({ connection: c, depth });
    for (const child of (children.get(c.id) ?? []).sort((a, b) => a.startedAt - b.startedAt)) walk(child, depth + 1);
  };
  for (const root of roots.sort((a, b) => b.startedAt - a.startedAt)) walk(root, 0);
  // Connections only reachable through a cycle of parents (bad data) still get a line.
  for (const rest of connections.filter((x) => !seen.has(x.id)).sort((a, b) => b.startedAt - a.startedAt)) walk(rest, 0);
  return lines;
}

/** The list after live events: opened connections added, updated and closed ones replaced. */
export function applyConnectionEvents(list: ConnectionInfo[], events: LabEvent[]): ConnectionInfo[] {
  let next = list;
  for (const event of events) {
    if (event.type !== 'connection.open' && event.type !== 'connection.update' && event.type !== 'connection.close') continue;
    const at = next.findIndex((c) => c.id === event.connection.id);
    next = at < 0 ? [event.connection, ...next] : next.map((c, i) => (i === at ? event.connection : c));
  }
  return next;
}
