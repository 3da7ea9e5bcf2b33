'use client';

import { useEffect, useState } from 'react';
import { coreApi } from '@/components/lab/api';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import type { LabMessage } from '@/lib/wire/event.ts';
import type { CorrelationRow } from './api';
import { KEY_HEADERS, splitMail, type MailHeader } from './mail-source';
import { Segmented } from '@/components/lab/tab-bar';

type View = 'request' | 'answer' | 'request-smtp' | 'answer-smtp';

/** Both mails of one correlation row (headers that correlate them, envelopes) and their SMTP transcripts. */
export function MailDetail({ row }: { row: CorrelationRow }) {
  const [view, setView] = useState<View>('request');
  const options = [
    ['request', 'Request mail'],
    ['answer', 'Answer mail'],
    ['request-smtp', 'SMTP of request'],
    ['answer-smtp', 'SMTP of answer'],
  ] as const;
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="mail-detail">
      <div className="px-3 pt-2">
        <Segmented label="Show" value={view} options={options} onChange={setView} role="tablist" />
      </div>
      <div className="min-h-0 flex-1">
        {view === 'request' && <MailView mailId={row.requestMailId} highlight={row.messageId} empty="The request has not reached calendar@lab.test’s mailbox yet." />}
        {view === 'answer' && <MailView mailId={row.answer?.mailId ?? null} highlight={row.messageId} empty={row.state === 'timed-out' ? 'No answer came back in time.' : 'No answer yet.'} />}
        {view === 'request-smtp' && <SmtpTranscript conn={row.requestConn} />}
        {view === 'answer-smtp' && <SmtpTranscript conn={row.answer?.conn ?? null} />}
      </div>
    </div>
  );
}

function MailView({ mailId, highlight, empty }: { mailId: string | null; highlight: string; empty: string }) {
  const [mail, setMail] = useState<{ headers: MailHeader[]; body: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setMail(null);
    setError(null);
    if (!mailId) return;
    void coreApi
      .mailSource(mailId)
      .then((raw) => setMail(splitMail(raw)))
      .catch((e: Error) => setError(e.message));
  }, [mailId]);

  if (!mailId) return <p className="p-3 text-sm text-slate-400">{empty}</p>;
  if (error) return <p className="p-3 text-sm text-red-300">{error}</p>;
  if (!mail) return <p className="p-3 text-sm text-slate-400">Loading…</p>;
  return (
    <div className="h-full overflow-y-auto p-3 text-sm" data-testid="mail-view">
      <table className="w-full text-xs">
        <tbody>
          {mail.headers.map((h, i) => {
            const why = KEY_HEADERS[h.name.toLowerCase()];
            const match = h.value.includes(highlight);
            return (
              <tr key={`${h.name}-${i}`} className="border-t border-slate-800 align-top">
                <th className={`w-36 py-1 pr-2 text-left font-mono font-normal ${why ? 'text-amber-300' : 'text-slate-400'}`}>{h.name}</th>
                <td className="py-1">
                  <span className={`break-all font-mono ${match ? 'rounded bg-sky-500/15 px-1 text-sky-200' : why ? 'text-slate-100' : 'text-slate-400'}`}>{h.value}</span>
                  {why && <div className="text-slate-400">{why}</div>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="mt-3 mb-1 text-xs text-slate-400">Body: the SOAP envelope</p>
      <pre className="overflow-x-auto rounded bg-slate-950 p-2 font-mono text-xs leading-5 text-slate-200">{mail.body}</pre>
    </div>
  );
}

function SmtpTranscript({ conn }: { conn: string | null }) {
  const [messages, setMessages] = useState<LabMessage[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    setMessages(null);
    if (!conn) return;
    void coreApi
      .transcript(conn)
      .then((r) => setMessages(r.messages))
      .catch(() => setMessages([]));
  }, [conn]);
  if (!conn) return <p className="p-3 text-sm text-slate-400">No SMTP connection recorded for this mail yet.</p>;
  return (
    <div className="flex h-full min-h-0 flex-col">
      <p className="px-3 pt-2 text-xs text-slate-400">
        SMTP connection <code className="text-slate-300">{conn}</code>: the mail crossed the lab’s SMTP server like any other; the SOAP envelope is the DATA.
      </p>
      <div className="min-h-0 flex-1">
        <TranscriptPanel messages={messages ?? []} selectedId={selected} onSelect={(id) => setSelected(id === selected ? null : id)} emptyText={messages ? 'No messages.' : 'Loading…'} />
      </div>
    </div>
  );
}
