'use client';

import { useState } from 'react';
import { Panel } from '@/components/lab/panel';
import type { SoapLabInfo } from './api';
import { CorrelationTable } from './correlation-table';
import { Ladder, ladderVerdict } from './ladder';
import { MailDetail } from './mail-detail';
import { thinkTimeProblem } from './format';
import { shortMessageId } from './mail-source';
import { Segmented } from '@/components/lab/tab-bar';
import { useMailTable, type MailRequestInput } from './use-mail-table';
import { counted } from '@/lib/text/numbers.ts';

const input = 'w-20 rounded border border-slate-700 bg-slate-950 px-2 py-1 font-mono text-sm text-slate-100 focus:border-sky-500 focus:outline-none';
const button = 'rounded-md border px-3 py-1 text-sm disabled:opacity-40';

/** Three months of one year, the first thinking longest: their answers come back reversed. */
export function crossingBatch(year: number): MailRequestInput[] {
  return [
    { year, month: 1, delayMs: 1500 },
    { year, month: 2, delayMs: 800 },
    { year, month: 3, delayMs: 0 },
  ];
}

/**
 * Why the form's numbers cannot be mailed, in the form's words, or null. The limits are POST /api/soap/mail's
 * (servers/soap/lab/contracts.ts); a month outside 1–12 is allowed on purpose: it comes back as a fault.
 */
export function mailFieldProblem(year: string, month: string, delay: string): string | null {
  const whole = (text: string) => /^-?\d+$/.test(text.trim());
  if (!whole(year) || Number(year) < 1 || Number(year) > 9999) return `Not mailed: the year must be a whole number from 1 to 9999 (got "${year}").`;
  if (!whole(month) || Math.abs(Number(month)) > 99) return `Not mailed: the month must be a whole number (1–12 answers, others come back as faults); got "${month}".`;
  const think = thinkTimeProblem(delay);
  return think ? `Not mailed: ${think}.` : null;
}

/** The Mail binding tab: SOAP requests as mail, the client's correlation table, a ladder, both mails. */
export function MailBinding({ visible, info }: { visible: boolean; info: SoapLabInfo | null }) {
  const { table, error, setError, send, clear } = useMailTable(visible);
  const [year, setYear] = useState('2003');
  const [month, setMonth] = useState('1');
  const [delay, setDelay] = useState('');
  const [version, setVersion] = useState<'1.1' | '1.2'>('1.2');
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = table?.rows ?? [];
  const row = rows.find((r) => r.messageId === selected) ?? null;
  const verdict = ladderVerdict(rows);
  const y = Number.parseInt(year, 10);

  const go = async (requests: MailRequestInput[]) => {
    setBusy(true);
    await send(requests.map((r) => ({ version, ...r })));
    setBusy(false);
  };
  const sendOne = () => {
    const problem = mailFieldProblem(year, month, delay);
    if (problem) return setError(problem);
    const m = Number.parseInt(month, 10);
    const d = Number.parseInt(delay, 10);
    void go([{ year: y, month: m, delayMs: Number.isFinite(d) ? d : undefined }]);
    // Ready for the next one: a class can fire off several in a few clicks.
    if (m >= 1 && m < 12) setMonth(String(m + 1));
  };

  return (
    <div className="flex h-full min-h-0 flex-col gap-3">
      <form
        className="flex flex-wrap items-end gap-x-3 gap-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          sendOne();
        }}
        aria-label="Mail a request"
      >
        <label className="flex flex-col text-xs text-slate-400">
          year
          <input className={input} value={year} onChange={(e) => setYear(e.target.value)} inputMode="numeric" aria-label="Mail year" />
        </label>
        <label className="flex flex-col text-xs text-slate-400">
          month
          <input className={input} value={month} onChange={(e) => setMonth(e.target.value)} inputMode="numeric" aria-label="Mail month" />
        </label>
        <label className="flex flex-col text-xs text-slate-400" title="Blank: the service picks a random 0–3 s">
          think (ms)
          <input className={input} value={delay} onChange={(e) => setDelay(e.target.value)} placeholder="random" inputMode="numeric" aria-label="Mail think time" />
        </label>
        <Segmented
          label="Mail SOAP version"
          size="md"
          value={version}
          options={[
            ['1.2', '1.2'],
            ['1.1', '1.1'],
          ]}
          onChange={setVersion}
        />
        <button type="submit" className={`${button} border-sky-500 bg-sky-500/15 text-sky-100 hover:bg-sky-500/25`} disabled={busy}>
          Mail it ▸
        </button>
        <button
          type="button"
          className={`${button} border-amber-400/70 bg-amber-400/10 text-amber-100 hover:bg-amber-400/20`}
          disabled={busy}
          onClick={() => {
            const problem = mailFieldProblem(year, '1', '');
            if (problem) setError(problem);
            else void go(crossingBatch(y));
          }}
          title="January, February, March with think times 1500, 800 and 0 ms"
        >
          Send 3 with different delays
        </button>
        <button type="button" className={`${button} border-slate-600 hover:border-slate-400`} onClick={() => void clear().then(() => setSelected(null))}>
          Clear table
        </button>
        <p className="ml-auto max-w-md text-xs text-slate-400">
          From <code className="text-slate-300">{info?.mail.client ?? 'student@lab.test'}</code> to <code className="text-slate-300">{info?.mail.service ?? 'calendar@lab.test'}</code>{' '}
          through the lab’s SMTP server; answers time out after {Math.round((table?.timeoutMs ?? 30000) / 1000)} s.
        </p>
      </form>
      {error && <p className="rounded border border-red-800 bg-red-950/50 px-3 py-1 text-sm text-red-200" role="alert" data-testid="mail-error">{error}</p>}

      {/*
        Wide (at least 72rem, i.e. up to 17 px text on a 1280 px screen): table over ladder, mails beside both.
        Narrower (18 px and up, Presenter mode): the table across, ladder and mails side by side below it, and
        the tab scrolls down instead of squeezing. Grid items need min-w-0 or they spill over their neighbour.
      */}
      <div className="@container min-h-0 flex-1 overflow-y-auto">
        <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] gap-3 @min-[72rem]:h-full @min-[72rem]:grid-cols-[minmax(0,1.25fr)_minmax(0,1fr)] @min-[72rem]:grid-rows-[minmax(0,2fr)_minmax(0,3fr)]">
          <Panel
            title="Correlation table"
            className="col-span-2 min-w-0 @min-[72rem]:col-span-1"
            actions={<span className="text-xs text-slate-400">{rows.length} requests · click a row</span>}
          >
            <div className="max-h-[12rem] overflow-auto @min-[72rem]:h-full @min-[72rem]:max-h-none" data-testid="mail-table-scroll">
              <CorrelationTable rows={rows} selected={selected} onSelect={setSelected} />
              {(table?.strays.length ?? 0) > 0 && (
                <p className="border-t border-slate-800 px-3 py-1.5 text-xs text-amber-300" data-testid="strays">
                  {counted(table!.strays.length, 'answer')} matched no request here (
                  {table!.strays.map((s) => `${shortMessageId(s.inReplyTo)}: ${s.reason}`).join('; ')}) — e.g. replies to requests you mailed with your own client.
                </p>
              )}
            </div>
          </Panel>
          <Panel title="Ladder" className="h-[24rem] min-w-0 @min-[72rem]:col-start-1 @min-[72rem]:row-start-2 @min-[72rem]:h-auto">
            <div className="flex h-full flex-col">
              {verdict && <p className="px-3 pt-2 text-xs text-amber-300">{verdict}</p>}
              <div className="min-h-0 flex-1">
                {rows.length ? <Ladder rows={rows} selected={selected} onSelect={setSelected} /> : <p className="p-3 text-sm text-slate-400">Requests and answers will be drawn here.</p>}
              </div>
            </div>
          </Panel>
          <Panel
            title={row ? `Request #${row.sentOrder} and its answer` : 'Mails'}
            className="h-[24rem] min-w-0 @min-[72rem]:col-start-2 @min-[72rem]:row-span-2 @min-[72rem]:row-start-1 @min-[72rem]:h-auto"
          >
            {row ? (
              <MailDetail key={row.messageId} row={row} />
            ) : (
              <div className="space-y-2 p-3 text-sm text-slate-300">
                <p>
                  SOAP does not need HTTP. In the SOAP 1.2 Email Binding a request is a mail whose body is the envelope; its <code>Message-ID</code> is the
                  correlation key. The answer is a new mail with <code>In-Reply-To</code> (and <code>References</code>) set to that Message-ID.
                </p>
                <p className="text-slate-400">
                  Mail has no connection to wait on, so answers arrive whenever the service is done. The client keeps a table of pending Message-IDs and
                  matches each arriving answer by In-Reply-To. Click a row to see both mails and the SMTP sessions that carried them.
                </p>
              </div>
            )}
          </Panel>
        </div>
      </div>
    </div>
  );
}
