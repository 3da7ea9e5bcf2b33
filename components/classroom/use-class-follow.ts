'use client';

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useLabSocket } from '@/components/lab/lab-socket';
import type { ClassState } from '@/lib/bus/events.ts';
import type { ConnectionInfo } from '@/lib/wire/event.ts';
import { classApi, teacherTranscript } from './class-api';
import { FOLLOW_KEY, noteClassRemoved } from './class-membership';
import { FollowFeed, MAX_LANES_PER_SESSION } from './follow-feed';
import { messageOf } from './styles';

/** Pages read of a teacher's transcript that began before this page followed (1000 messages each). */
const MAX_PAGES = 5;

/** A student's page in its class: what the teacher set for the class, and following the teacher. */
export interface ClassFollow {
  /** The student asked to follow (the page asks the hub again after a reconnect). */
  wanted: boolean;
  setWanted(on: boolean): void;
  /** The hub confirmed: the teacher's sessions stream in. */
  following: boolean;
  /** Frozen, rewound, projector (null until read). */
  state: ClassState | null;
  feed: FollowFeed;
  /** Changes whenever the feed does (for memos over it). */
  version: number;
  error: string | null;
  /** The teacher removed this sandbox from the class (the class's name), while this page was open. */
  removedFrom: string | null;
}

/**
 * Follows the class's teacher over the page's lab socket (`{type:'follow'}`): the teacher's events
 * go into a FollowFeed (never the page's own sandbox's), a connection first seen mid-way is read
 * from the teacher's recorded transcript, and `class` events keep the class's state, which is read
 * once when the socket (re)connects so a page opened during a freeze or rewind shows it.
 */
export function useClassFollow(): ClassFollow {
  const { send, subscribe, connected, sandbox } = useLabSocket();
  const [feed] = useState(() => new FollowFeed());
  const version = useSyncExternalStore(feed.subscribe, feed.getVersion, feed.getVersion);
  const [wanted, setWantedNow] = useState(false);
  // A reload keeps following (the tab's own wish, kept for the tab only): the teacher's roster still said "following".
  useEffect(() => {
    if (sessionStorage.getItem(FOLLOW_KEY) === '1') setWantedNow(true);
  }, []);
  const setWanted = useCallback((next: boolean) => {
    sessionStorage.setItem(FOLLOW_KEY, next ? '1' : '0');
    setWantedNow(next);
  }, []);
  const [following, setFollowing] = useState(false);
  const [state, setState] = useState<ClassState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removedFrom, setRemovedFrom] = useState<string | null>(null);
  // Read inside the socket listener, which must see the newest values at once (not after a render).
  // The socket's provider keeps the sandbox its hello named: this hook may mount after that hello.
  const own = useRef<string | null>(sandbox);
  useEffect(() => {
    own.current = sandbox;
  }, [sandbox]);
  const followingNow = useRef(false);

  /** Reads a connection's stored transcript; answers the children its first page names (data connections, tunnels). */
  const readInto = useCallback(
    async (conn: string): Promise<ConnectionInfo[]> => {
      feed.request(conn);
      let children: ConnectionInfo[] = [];
      let from: number | null = 0;
      for (let pages = 0; from !== null && pages < MAX_PAGES; pages++) {
        const page = await teacherTranscript(conn, { from, limit: 1000 });
        feed.loadPage(page);
        if (pages === 0) children = page.children ?? [];
        from = page.next ?? null;
      }
      return children;
    },
    [feed],
  );
  const read = useCallback(
    (conn: string): void =>
      void readInto(conn)
        .then((children) => {
          // A session that began before this page followed: the data connections and tunnels it opened
          // meanwhile, as the player reads them (the newest the page keeps; those still open arrive live too).
          const newest = [...children].sort((a, b) => a.startedAt - b.startedAt).slice(-MAX_LANES_PER_SESSION);
          for (const child of newest) if (!feed.has(child.id)) read(child.id);
        })
        .catch((err: unknown) => setError(messageOf(err))),
    [readInto, feed],
  );

  useEffect(
    () =>
      subscribe((message) => {
        if (message.type === 'hello') own.current = message.sandbox;
        if (message.type === 'follow') {
          followingNow.current = message.following !== null;
          setFollowing(followingNow.current);
          // What the teacher said while this page did not follow (or was reconnecting) is read again, and a
          // page that has seen nothing yet (just opened or reloaded) starts from the teacher's open sessions.
          // A connection seen to end was seen whole (its close follows its last message): not read again, or
          // a mirror's hundred data connections would be a hundred reads on every reconnect.
          if (followingNow.current) {
            for (const c of feed.connections()) if (c.endedAt === null) read(c.id);
            classApi
              .teacherLive()
              .then((live) => {
                for (const c of live) if (!feed.has(c.id)) read(c.id);
              })
              .catch((err: unknown) => setError(messageOf(err)));
          }
        }
        if (message.type !== 'events') return;
        for (const event of message.events) {
          if (event.type === 'class') setState(event.state);
          // Out of the class: the hub stops the following itself; the wish to follow goes too.
          if (event.type === 'class.removed') {
            setRemovedFrom(event.className);
            setWanted(false);
            // The header's Class link too (and every page of the tab after this one).
            noteClassRemoved(event);
          }
        }
        if (followingNow.current && own.current !== null) for (const conn of feed.applyEvents(message.events, own.current)) read(conn);
      }),
    [subscribe, feed, read, setWanted],
  );

  // Ask the hub whenever the wish changes, and again on every new socket (a new socket follows no one).
  const asked = useRef<boolean | null>(null);
  useEffect(() => {
    if (!connected) {
      asked.current = null;
      followingNow.current = false;
      setFollowing(false);
      return;
    }
    if (wanted !== (asked.current ?? false)) send({ type: 'follow', enabled: wanted });
    asked.current = wanted;
  }, [connected, wanted, send]);

  useEffect(() => {
    if (!connected) return;
    classApi
      .state()
      .then(setState)
      .catch((err: unknown) => setError(messageOf(err)));
  }, [connected]);

  // The message the class is frozen on may be of a session this page has not seen begin.
  const frozenConn = following ? (state?.frozen?.conn ?? null) : null;
  useEffect(() => {
    if (frozenConn && !feed.has(frozenConn)) read(frozenConn);
  }, [frozenConn, feed, read]);

  return { wanted, setWanted, following, state, feed, version, error, removedFrom };
}
