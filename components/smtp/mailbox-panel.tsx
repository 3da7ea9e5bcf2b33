'use client';

import { useEffect, useRef, useState } from 'react';
import type { MailSummary } from '@/lib/bus/events.ts';
import type { ParsedMail } from '@/lib/store/mailbox.ts';
import { coreApi } from '@/components/lab/api';
import { clockTime } from '@/components/lab/format';
import { escapeControls } from '@/lib/wire/escape.ts';

/**
 * The source as the Source tab shows it: the route serves the bytes as stored (a download, like the
 * pcapng's packets), so this is where they are escaped for display, once, line by line: a bidi
 * override or an ESC in a header shows as `\u{202E}` or `^[` instead of reordering or vanishing.
 */
function shownSource(raw: string): string {
  return raw.split(/\r?\n/).map(escapeControls).join('\n');
}

/** Mail delivered in this sandbox, newest first, live; a click shows headers, body and source. */
export function MailboxPanel({ mails, mailDomain = 'lab.test' }: { mails: MailSummary[]; mailDomain?: string }) {
  const [openId, setOpenId] = useState<string | null>(null);
  const [mail, setMail] = useState<ParsedMail | null>(null);
  const [tab, setTab] = useState<'text' | 'headers' | 'raw'>('text');
  const [raw, setRaw] = useState('');
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  // Opening a mail cuts the list to a third of the panel: bring its row back into the list's sight.
  useEffect(() => {
    if (openId) listRef.current?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [openId]);

  useEffect(() => {
    if (!openId) return;
    setMail(null);
    setError(null);
    void coreApi.mail(openId).then(setMail).catch((e: Error) => setError(e.message));
    void coreApi.mailSource(openId).then((source) => setRaw(shownSource(source))).catch(() => {});
  }, [openId]);

  if (mails.length === 0) {
    return <p className="p-3 text-sm text-slate-400">No mail yet. Send one to student@{mailDomain} from the console or your own client.</p>;
  }
  return (
    <div className="flex h-full min-h-0 flex-col text-sm" data-testid="mailbox">
      {/* An open mail gets the panel's room: the list shrinks to a third (at 1280×720 the mail showed only its From line). */}
      <ul ref={listRef} className={`shrink-0 overflow-y-auto ${openId ? 'max-h-[34%]' : 'max-h-48'}`} data-testid="mail-list">
        {mails.map((m) => (
          <li key={m.id}>
            <button
              onClick={() => setOpenId(m.id === openId ? null : m.id)}
              aria-current={m.id === openId ? 'true' : undefined}
              className={`grid w-full grid-cols-[1fr_auto] gap-x-2 px-3 py-1.5 text-left ${m.id === openId ? 'bg-sky-950/60' : 'hover:bg-slate-900'}`}
            >
              <span className="truncate font-medium text-slate-100">{m.subject || '(no subject)'}</span>
              <span className="text-xs tabular-nums text-slate-400">{clockTime(m.date)}</span>
              <span className="col-span-2 truncate text-xs text-slate-400">
                {m.from || '<>'} → {m.to.join(', ')} · {m.size.toLocaleString('en')} bytes
              </span>
            </button>
          </li>
        ))}
      </ul>
      {openId && (
        <div className="flex min-h-0 flex-1 flex-col border-t border-slate-800">
          <div className="flex gap-1 px-3 pt-2" role="tablist">
            {(['text', 'headers', 'raw'] as const).map((t) => (
              <button
                key={t}
                role="tab"
                aria-selected={tab === t}
                onClick={() => setTab(t)}
                className={`rounded px-2 py-0.5 text-xs ${tab === t ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white'}`}
              >
                {t === 'text' ? 'Message' : t === 'headers' ? 'Headers' : 'Source'}
              </button>
            ))}
          </div>
          <div className="min-h-0 flex-1 overflow-auto p-3">
            {error && <p className="text-red-300">{error}</p>}
            {mail && tab === 'text' && (
              <div className="space-y-2">
                {/* The store keeps the envelope (MAIL FROM, RCPT TO) and the arrival time; the header's From:, To:
                    and Date: may say otherwise (a list, a Bcc, a forged sender), so neither is labelled as the other. */}
                <dl className="grid grid-cols-[max-content_1fr] gap-x-3 text-xs">
                  <dt className="text-slate-400">Subject</dt>
                  <dd className="break-words">{mail.subject || '(no subject)'}</dd>
                  <dt className="text-slate-400" title="What the server delivered by; the From: and To: the author wrote are under Headers">Envelope</dt>
                  <dd className="break-words">
                    <span className="text-slate-400">MAIL FROM</span> {mail.from || '<>'} <span className="text-slate-400">RCPT TO</span> {mail.to.join(', ')}
                  </dd>
                  <dt className="text-slate-400" title="When this server took the mail; the Date: the author wrote is under Headers">Received</dt>
                  <dd>{new Date(mail.date).toLocaleString()}</dd>
                </dl>
                <pre className="whitespace-pre-wrap font-mono text-xs text-slate-200">{mail.text || '(empty body)'}</pre>
                {mail.attachments.length > 0 && <p className="text-xs text-slate-400">Attachments: {mail.attachments.map((a) => `${a.filename} (${a.size} bytes)`).join(', ')}</p>}
              </div>
            )}
            {mail && tab === 'headers' && (
              <table className="w-full text-xs">
                <tbody>
                  {mail.headers.map((h, i) => (
                    <tr key={i} className="border-t border-slate-800 align-top">
                      <th className="w-32 py-1 pr-2 text-left font-normal text-slate-400">{h.name}</th>
                      <td className="break-all py-1 font-mono">{h.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {tab === 'raw' && <pre className="whitespace-pre-wrap break-all font-mono text-xs text-slate-300">{raw}</pre>}
          </div>
        </div>
      )}
    </div>
  );
}
