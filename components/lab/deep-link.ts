'use client';

import { useEffect, useRef } from 'react';
import { messageIdParts } from '@/lib/wire/event.ts';

/**
 * What a shared lab URL names: one connection and one message in it, e.g.
 * `/smtp?conn=smtp-k3j9x2a1&msg=smtp-k3j9x2a1:4` (or `msg=4`, the message's seq). Lessons and the
 * classroom link to a moment of a session this way.
 */
export interface DeepLink {
  conn: string | null;
  msg: string | null;
}

const CONN = /^[A-Za-z0-9_-]{1,64}$/;
const SEQ = /^\d{1,9}$/;

/** Reads and validates a lab URL's query; anything malformed is ignored, never trusted. */
export function parseDeepLink(search: string): DeepLink {
  const query = new URLSearchParams(search);
  const conn = query.get('conn');
  const msg = query.get('msg');
  if (!conn || !CONN.test(conn)) return { conn: null, msg: null };
  if (!msg) return { conn, msg: null };
  // A message id is `<conn>:<seq>`; a bare seq is short for it.
  if (SEQ.test(msg)) return { conn, msg: `${conn}:${msg}` };
  const parts = messageIdParts(msg);
  return parts && parts.conn === conn && SEQ.test(parts.seq) ? { conn, msg } : { conn, msg: null };
}

/**
 * The query string that names `conn` and `msg` (without them when nothing is selected), keeping the
 * other parameters of `search` (an open lesson's `lesson` and `step`).
 */
export function deepLinkQuery(conn: string | null, msg: string | null, search = ''): string {
  const query = new URLSearchParams(search);
  query.delete('conn');
  query.delete('msg');
  if (conn) {
    query.set('conn', conn);
    if (msg) query.set('msg', msg);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** Calls `open` once, after mount, with what the page's URL names (if it names a connection). */
export function useDeepLink(open: (link: DeepLink) => void): void {
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    const link = parseDeepLink(window.location.search);
    if (link.conn) openRef.current(link);
  }, []);
}

/**
 * Puts the selection in the address bar (replaceState: no history entry per click), so the URL
 * can be shared; the hash (a tab, on the SOAP page) stays.
 */
export function shareSelection(conn: string | null, msg: string | null): void {
  const url = `${window.location.pathname}${deepLinkQuery(conn, msg, window.location.search)}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(window.history.state, '', url);
}
