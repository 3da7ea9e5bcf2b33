'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { errorText, sessionsApi, type SearchReply } from './api';
import { playerHref } from '@/components/player/timeline';

/** Queries a newcomer can try, one click each. */
const EXAMPLES = ['smtp.reply.5xx', 'ftp.cmd.PASV', 'warn', 'injected', 'dir:client "lab.test"'];

const ARROWS = { client: '→', server: '←', note: '•' } as const;

/** What stopped the search, in words (null when everything was read). */
function stoppedWords(reply: SearchReply): string | null {
  if (reply.stoppedBy === 'limit') return `Showing the first ${reply.hits.length} matches; narrow the search to see the rest.`;
  if (reply.stoppedBy === 'connections') return `Searched the newest ${reply.scanned.connections} connections only.`;
  if (reply.stoppedBy === 'messages') return `Searched ${reply.scanned.messages.toLocaleString('en')} messages only (the newest connections).`;
  return null;
}

/**
 * The search box (the filter language of lib/search) and what it found: each matching message
 * with its connection; a click opens the player at that message.
 */
export function SearchPanel() {
  const [query, setQuery] = useState('');
  const [reply, setReply] = useState<SearchReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<AbortController | null>(null);

  const run = async (q: string) => {
    pending.current?.abort();
    if (!q.trim()) {
      setReply(null);
      setError(null);
      return;
    }
    const controller = new AbortController();
    pending.current = controller;
    setBusy(true);
    try {
      const found = await sessionsApi.search(q, controller.signal);
      if (controller.signal.aborted) return;
      setReply(found);
      setError(null);
    } catch (err) {
      if (controller.signal.aborted) return;
      setReply(null);
      setError(errorText(err));
    } finally {
      if (pending.current === controller) setBusy(false);
    }
  };

  return (
    <div className="flex h-full min-h-0 flex-col">
      <form
        className="flex gap-2 border-b border-slate-800 p-2"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run(query);
        }}
      >
        <input
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="smtp.reply.5xx · ftp.cmd.PASV · warn · dir:client · injected · “free text”"
          aria-label="Search the transcripts"
          className="min-w-0 flex-1 rounded border border-slate-700 bg-slate-950 px-2 py-1 font-mono text-sm text-slate-100 placeholder:text-slate-500 focus:border-sky-500 focus:outline-none"
          data-testid="search-input"
        />
        <button type="submit" className="rounded-md border border-sky-500 bg-sky-500/10 px-3 py-1 text-sm text-sky-100 hover:bg-sky-500/20" disabled={busy}>
          Search
        </button>
      </form>
      <div className="min-h-0 flex-1 overflow-y-auto" data-testid="search-results">
        {error && (
          <p className="m-2 rounded border border-red-800 bg-red-950/50 px-3 py-1 text-sm text-red-200" role="alert" data-testid="search-error">
            {error}
          </p>
        )}
        {!reply && !error && (
          <div className="space-y-2 p-3 text-sm text-slate-400">
            <p>
              Search every transcript of this sandbox by annotation key (<code className="text-slate-300">smtp.reply.5xx</code> finds 550 and 554;{' '}
              <code className="text-slate-300">*</code> matches anything), by <code className="text-slate-300">level:warn</code>,{' '}
              <code className="text-slate-300">dir:</code>, <code className="text-slate-300">view:</code>, <code className="text-slate-300">proto:</code>, by{' '}
              <code className="text-slate-300">injected</code> or <code className="text-slate-300">edited</code>, or by text. Terms side by side must all
              match; <code className="text-slate-300">or</code> offers alternatives, <code className="text-slate-300">not</code> (or -) leaves out.
            </p>
            <p className="flex flex-wrap gap-1">
              {EXAMPLES.map((example) => (
                <button
                  key={example}
                  type="button"
                  className="rounded border border-slate-700 px-2 py-0.5 font-mono text-xs text-slate-300 hover:border-sky-500"
                  onClick={() => {
                    setQuery(example);
                    void run(example);
                  }}
                >
                  {example}
                </button>
              ))}
            </p>
          </div>
        )}
        {reply && (
          <>
            <p className="px-3 pt-2 text-xs text-slate-400" data-testid="search-summary">
              {reply.hits.length === 0 ? 'Nothing matches' : `${reply.hits.length} ${reply.hits.length === 1 ? 'match' : 'matches'}`}: {reply.description}.{' '}
              {stoppedWords(reply)}
            </p>
            <ol className="p-2 text-sm">
              {reply.hits.map(({ connection, message }) => (
                <li key={message.id}>
                  <Link
                    href={playerHref(connection.id, message)}
                    className="block rounded px-2 py-1 hover:bg-slate-900"
                    data-testid="search-hit"
                    data-conn={connection.id}
                    data-seq={message.seq}
                  >
                    <span className="flex items-baseline gap-2 text-xs text-slate-400">
                      <span className="truncate">{connection.label ?? connection.client}</span>
                      <span className="shrink-0">
                        {connection.protocol} · #{message.seq}
                      </span>
                      {message.annotation?.key && <span className="ml-auto shrink-0 font-mono">{message.annotation.key}</span>}
                    </span>
                    <span className={`block truncate font-mono ${message.dir === 'client' ? 'text-client' : message.dir === 'server' ? 'text-server' : 'text-note'}`}>
                      {ARROWS[message.dir]} {message.text.split('\n', 1)[0]}
                    </span>
                    {message.annotation?.title && <span className="block truncate text-xs text-slate-400">{message.annotation.title}</span>}
                  </Link>
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
    </div>
  );
}
