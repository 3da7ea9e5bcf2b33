'use client';

import { useEffect, useMemo, useRef } from 'react';
import { playerHref } from '@/components/player/timeline';
import { encryptionBadges, seenWhere, type EncryptionBadge } from './badges';
import { counted } from '@/lib/text/numbers.ts';
import type { LabMessage } from '@/lib/wire/event.ts';

const ARROWS: Record<LabMessage['dir'], { glyph: string; className: string; label: string }> = {
  client: { glyph: '→', className: 'text-client', label: 'client to server' },
  server: { glyph: '←', className: 'text-server', label: 'server to client' },
  note: { glyph: '•', className: 'text-note', label: 'lab note' },
};

const LEVEL_BADGE: Record<string, string> = {
  warn: 'bg-amber-500/15 text-amber-300 ring-amber-500/40',
  error: 'bg-red-500/15 text-red-300 ring-red-500/40',
};

function formatTime(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export interface TranscriptPanelProps {
  messages: LabMessage[];
  selectedId: string | null;
  onSelect(id: string): void;
  emptyText: string;
  /** The badge beside an annotation, when `messages` is part of a connection that decides it (see badges.ts). */
  badgeOf?(message: LabMessage): EncryptionBadge | null;
  /** Link a selected message into the session player (its bytes, Back/Forward); off inside the player itself. */
  playerLink?: boolean;
  /**
   * Names a message's connection, for a list that mixes several (a followed teacher's sessions): a row naming
   * the connection opens each run of its messages, whose times count from that connection's start.
   */
  connectionOf?(message: LabMessage): string;
}

/** One row per message; the selected row expands to its fields and full explanation. */
export function TranscriptPanel({ messages, selectedId, onSelect, emptyText, badgeOf: given, playerLink = true, connectionOf }: TranscriptPanelProps) {
  // "decrypted" only for what really was encrypted on the wire (SSH's handshake crossed in clear).
  const badgeOf = useMemo(() => given ?? encryptionBadges(messages), [given, messages]);
  const listRef = useRef<HTMLOListElement>(null);
  const follow = useRef(true);

  const selectedRef = useRef(selectedId);
  selectedRef.current = selectedId;
  /** The selected row in view, or else the newest one while the student has not scrolled up. */
  const keepInView = () => {
    const list = listRef.current;
    if (!list) return;
    const id = selectedRef.current;
    const selected = id ? list.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`) : null;
    if (selected) selected.scrollIntoView({ block: 'nearest' });
    else if (follow.current) list.scrollTop = list.scrollHeight;
  };
  useEffect(keepInView, [messages.length, selectedId]);

  // Presenter mode, A+/A− and a resized window change the rows' height without a scroll event (and
  // without a new message): watch the list and its newest row, so the panel keeps following.
  const newest = messages.at(-1)?.id;
  useEffect(() => {
    const list = listRef.current;
    if (!list || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(keepInView);
    observer.observe(list);
    if (list.lastElementChild) observer.observe(list.lastElementChild);
    return () => observer.disconnect();
  }, [newest]);

  if (messages.length === 0) {
    return <p className="p-4 text-sm text-slate-400">{emptyText}</p>;
  }
  return (
    <ol
      ref={listRef}
      className="h-full overflow-y-auto text-sm"
      aria-label="Transcript"
      data-testid="transcript"
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {messages.map((m, i) => {
        const arrow = ARROWS[m.dir];
        const opensRun = connectionOf !== undefined && (i === 0 || messages[i - 1].conn !== m.conn);
        const selected = m.id === selectedId;
        const firstLine = m.text.split('\n')[0];
        const badge = badgeOf(m);
        const more = m.text.includes('\n') ? ` (+${counted(m.text.split('\n').length - 1, 'line')})` : '';
        return (
          <li key={m.id} data-id={m.id} className={`border-b border-slate-800/70 ${selected ? 'bg-sky-950/60' : 'hover:bg-slate-900'}`}>
            {opensRun && (
              <p className="border-b border-slate-800/70 bg-slate-900/70 px-3 py-0.5 text-xs text-slate-300" data-testid="transcript-connection">
                {connectionOf(m)} <span className="text-slate-400">· times from its start</span>
              </p>
            )}
            <button className="grid w-full grid-cols-[1.25rem_4.5rem_1fr] items-baseline gap-2 px-3 py-1.5 text-left" onClick={() => onSelect(m.id)} aria-expanded={selected}>
              <span className={arrow.className} aria-label={arrow.label}>{arrow.glyph}</span>
              <span className="font-mono text-xs tabular-nums text-slate-400">{formatTime(m.t)}</span>
              <span className="min-w-0">
                {/* One line each keeps the list easy to scan; the selected row shows its whole line, folded in the column
                    (a projector's column cuts most lines, and a one-line message has no second copy in the detail). */}
                {/* The "(+N lines)" mark stays outside the cut, so a long first line cannot hide that there is more. */}
                <span className={`font-mono ${selected ? 'block whitespace-pre-wrap [overflow-wrap:anywhere]' : 'flex min-w-0'} ${arrow.className}`} data-testid="message-text">
                  <span className={selected ? undefined : 'min-w-0 truncate'}>{firstLine}</span>
                  {more && <span className="shrink-0 whitespace-pre text-slate-400">{more}</span>}
                </span>
                {(m.injected || m.edited) && (
                  <span className="flex items-center gap-2 text-xs">
                    {m.injected && (
                      <span className="rounded bg-red-500/20 px-1 text-red-200" data-testid="injected-badge" title={`Injected by the lab: ${m.injected.title} (${m.injected.rule})`}>
                        injected · {m.injected.rule}
                      </span>
                    )}
                    {m.edited && (
                      <span className="truncate rounded bg-amber-500/15 px-1 text-amber-200" data-testid="edited-badge" title={`Edited in step mode; held was: ${m.edited.original}`}>
                        edited · was {m.edited.original.split('\n')[0]}
                      </span>
                    )}
                  </span>
                )}
                {m.annotation && (
                  <span className="flex items-center gap-2 text-xs text-slate-400">
                    {m.annotation.level && LEVEL_BADGE[m.annotation.level] && (
                      <span className={`shrink-0 rounded px-1 ring-1 ${LEVEL_BADGE[m.annotation.level]}`}>{m.annotation.level}</span>
                    )}
                    {/* In a narrow column (Presenter mode) the title gives way, not the badge: "sent in clear" stays one line. */}
                    <span className={`min-w-0 ${selected ? '[overflow-wrap:anywhere]' : 'truncate'}`}>{m.annotation.title}</span>
                    {badge && <span className="shrink-0 whitespace-nowrap rounded bg-violet-500/15 px-1 text-violet-300" data-testid="message-badge">{badge}</span>}
                  </span>
                )}
              </span>
            </button>
            {selected && <MessageDetail message={m} badge={badge} playerLink={playerLink} />}
          </li>
        );
      })}
    </ol>
  );
}

function MessageDetail({ message, badge, playerLink }: { message: LabMessage; badge: EncryptionBadge | null; playerLink: boolean }) {
  const a = message.annotation;
  return (
    <div className="space-y-2 px-3 pb-3 pl-[6.75rem] text-sm" data-testid="message-detail">
      {message.text.includes('\n') && (
        <pre className="overflow-x-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-300">{message.text}</pre>
      )}
      {a && (
        <div>
          <p className="text-slate-200">{a.explain}</p>
          {a.ref && <p className="mt-1 text-xs text-sky-300">{a.ref}</p>}
        </div>
      )}
      {message.fields && message.fields.length > 0 && (
        <table className="w-full text-xs">
          <tbody>
            {message.fields.map((f, i) => (
              <tr key={`${f.name}-${i}`} className="border-t border-slate-800 align-top">
                <th className="w-40 py-1 pr-2 text-left font-normal text-slate-400">{f.name}</th>
                <td className="py-1 font-mono text-slate-200">
                  {f.value}
                  {f.note && <div className="font-sans text-slate-400">{f.note}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="text-xs text-slate-400">
        #{message.seq} · {message.kind} · {seenWhere(message, badge)}
        {message.bytes ? ` · ${message.bytes} bytes` : ''}
        {playerLink && (
          // A new tab, so the lab page's console stays open.
          <a href={playerHref(message.conn, message)} target="_blank" rel="noopener" className="ml-2 text-sky-300 underline underline-offset-2 hover:text-sky-100" data-testid="open-in-player">
            bytes and player ↗
          </a>
        )}
      </p>
    </div>
  );
}
