'use client';

import type { ChannelPicture, DataLane, TransferCommand } from './lanes';
import { formatBytes, formatMs } from '@/components/lab/format';

const pct = (value: number, span: number) => `${Math.min(100, Math.max(0, (value / span) * 100)).toFixed(2)}%`;

function Track({ span, children }: { span: number; children: React.ReactNode }) {
  return (
    <div className="relative mt-1.5 h-3 rounded-sm bg-slate-800/70" aria-hidden data-span={span}>
      {children}
    </div>
  );
}

function ReplyChip({ lane }: { lane: Pick<DataLane, 'replyCode' | 'reply' | 'state' | 'command'> & { preliminary?: string | null } }) {
  if (lane.replyCode === null && lane.command === null && lane.state === 'done') {
    // A PASV replaced by the next one before any transfer: its connection closed unused, no reply will come.
    return <span className="rounded bg-slate-500/15 px-1.5 py-0.5 text-xs text-slate-300 ring-1 ring-slate-500/40">closed unused: no transfer</span>;
  }
  if (lane.replyCode === null) {
    return <span className="rounded bg-sky-500/15 px-1.5 py-0.5 text-xs text-sky-300 ring-1 ring-sky-500/40">{lane.state === 'open' ? 'transferring…' : 'waiting for reply'}</span>;
  }
  const ok = lane.replyCode < 400;
  return (
    <span
      title={lane.reply ?? undefined}
      className={`rounded px-1.5 py-0.5 font-mono text-xs ring-1 ${ok ? 'bg-emerald-500/15 text-emerald-300 ring-emerald-500/40' : 'bg-red-500/15 text-red-300 ring-red-500/40'}`}
    >
      {lane.preliminary ? '150 → ' : ''}
      {lane.replyCode} {ok ? '✓' : '✗'}
    </span>
  );
}

/** The control connection and each data connection as its own lane, on one time axis. */
export function ChannelsView(props: {
  picture: ChannelPicture | null;
  selected: string | null;
  onSelect(id: string): void;
  ownConsole: string | null;
  port: number;
}) {
  const { picture } = props;
  if (!picture) {
    return <p className="p-4 text-sm text-slate-400">No FTP session yet. Log in with the console and send PASV then LIST (or <code>ls</code> in client mode).</p>;
  }
  const { control, span, lanes } = picture;
  const byCommand = new Map(picture.transfers.map((t) => [t.messageId, t]));
  const orphans = picture.transfers.filter((t) => !t.lane);
  const controlSelected = props.selected === control.id;
  return (
    <div className="flex h-full flex-col overflow-y-auto p-3 text-sm" data-testid="channels">
      <button
        onClick={() => props.onSelect(control.id)}
        className={`rounded-md border px-3 py-2 text-left ${controlSelected ? 'border-sky-500 bg-sky-950/40' : 'border-slate-700 bg-slate-900 hover:border-slate-500'}`}
        data-testid="control-lane"
      >
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-semibold text-slate-100">Control connection{control.id === props.ownConsole ? ' (your console)' : control.label ? ` (${control.label})` : ''}</span>
          <span className="text-xs text-slate-400">
            client {control.client} → server :{props.port}
          </span>
          <span
            className={`ml-auto rounded px-1.5 py-0.5 text-xs ring-1 ${picture.controlTls ? 'bg-emerald-500/15 text-emerald-300 ring-emerald-500/40' : 'bg-amber-500/15 text-amber-300 ring-amber-500/40'}`}
          >
            {picture.controlTls ? 'TLS (AUTH TLS)' : 'clear text'}
          </span>
        </div>
        <Track span={span}>
          <div className="absolute inset-y-0 left-0 rounded-sm bg-slate-500/60" style={{ width: pct(control.endedAt ? control.endedAt - control.startedAt : span, span) }} />
          {picture.transfers.map((t) => {
            const lane = lanes.find((l) => l.id === t.lane);
            const failed = t.replyCode !== null && t.replyCode >= 400;
            return (
              <span
                key={t.messageId}
                title={t.text}
                className={`absolute -top-1 flex h-5 min-w-5 -translate-x-1/2 items-center justify-center rounded-full px-1 text-[10px] font-bold text-slate-950 ${failed ? 'bg-red-400' : 'bg-sky-300'}`}
                style={{ left: pct(t.t, span) }}
              >
                {lane ? lane.index : '!'}
              </span>
            );
          })}
        </Track>
        <p className="mt-1.5 text-xs text-slate-400">Commands and replies: USER/PASS, PASV/PORT, LIST/RETR/STOR, 150 … 226. Numbers mark the commands that opened a data connection.</p>
      </button>

      <ol className="ml-4 mt-1 border-l-2 border-dashed border-slate-700 pl-3" aria-label="Data connections">
        {lanes.length === 0 && orphans.length === 0 && (
          <li className="py-2 text-xs text-slate-400">No data connection yet: every listing and file travels on a second TCP connection, opened after PASV/EPSV (client → server) or PORT/EPRT (server → client).</li>
        )}
        {lanes.map((lane) => (
          <LaneRow key={lane.id} lane={lane} span={span} transfer={lane.commandMessageId ? byCommand.get(lane.commandMessageId) : undefined} selected={props.selected === lane.id} onSelect={props.onSelect} />
        ))}
        {orphans.map((t) => (
          <OrphanRow key={t.messageId} transfer={t} />
        ))}
      </ol>
      <dl className="mt-auto grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 border-t border-slate-800 pt-2 text-xs text-slate-400" aria-label="How FTP uses two connections">
        <dt className="font-semibold text-slate-300">Control</dt>
        <dd>one TCP connection for the whole session: commands and numbered replies.</dd>
        <dt className="font-semibold text-client">Passive</dt>
        <dd>PASV/EPSV: the server opens a port (227/229) and the client connects to it — works behind client firewalls and NAT.</dd>
        <dt className="font-semibold text-server">Active</dt>
        <dd>PORT/EPRT: the client names its own address and the server connects back to it — blocked by client firewalls (425).</dd>
      </dl>
    </div>
  );
}

function LaneRow(props: { lane: DataLane; span: number; transfer?: TransferCommand; selected: boolean; onSelect(id: string): void }) {
  const { lane, span } = props;
  const failed = lane.state === 'failed';
  const colour = failed ? 'bg-red-400/80' : lane.tls ? 'bg-emerald-400/80' : 'bg-amber-300/80';
  return (
    <li className="relative mt-2">
      <span className="absolute -left-3 top-5 h-0.5 w-3 bg-slate-700" aria-hidden />
      <button
        onClick={() => props.onSelect(lane.id)}
        data-testid="data-lane"
        className={`w-full rounded-md border px-3 py-2 text-left ${props.selected ? 'border-sky-500 bg-sky-950/40' : failed ? 'border-red-900 bg-red-950/20 hover:border-red-700' : 'border-slate-700 bg-slate-900 hover:border-slate-500'}`}
      >
        <div className="flex flex-wrap items-center gap-2">
          <span className={`flex h-5 min-w-5 items-center justify-center rounded-full px-1 text-[10px] font-bold text-slate-950 ${failed ? 'bg-red-400' : 'bg-sky-300'}`}>{lane.index}</span>
          <span className="font-mono text-slate-100">{lane.command ?? 'data connection'}</span>
          <span className="text-xs text-slate-400">
            {lane.mode === 'passive' ? `passive${lane.via ? ` (${lane.via})` : ''}` : lane.mode === 'active' ? 'active (PORT/EPRT)' : ''}
          </span>
          <span className="ml-auto flex items-center gap-1.5">
            <span className={`rounded px-1.5 py-0.5 text-xs ring-1 ${lane.tls ? 'bg-emerald-500/15 text-emerald-300 ring-emerald-500/40' : 'bg-amber-500/15 text-amber-300 ring-amber-500/40'}`}>
              {lane.tls ? 'TLS (PROT P)' : 'clear text'}
            </span>
            <ReplyChip lane={{ ...lane, preliminary: props.transfer?.preliminary }} />
          </span>
        </div>
        <div className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-300">
          <span>
            <span className="text-slate-400">who connected:</span> <span className={lane.mode === 'active' ? 'text-server' : 'text-client'}>{lane.from}</span> → {lane.to}
          </span>
          {!failed && (
            <span className="tabular-nums">
              {formatBytes(lane.bytesUp)} ↑ · {formatBytes(lane.bytesDown)} ↓{lane.duration !== null ? ` · ${formatMs(lane.duration)}` : ''}
            </span>
          )}
        </div>
        {failed && <p className="mt-1 text-xs text-red-300">{lane.failure ?? lane.reply}</p>}
        <Track span={span}>
          <div
            className={`absolute inset-y-0 rounded-sm ${colour}`}
            style={{ left: pct(lane.offset, span), width: `max(6px, ${pct(lane.duration ?? 0, span)})` }}
          />
        </Track>
      </button>
    </li>
  );
}

function OrphanRow({ transfer }: { transfer: TransferCommand }) {
  return (
    <li className="relative mt-2">
      <span className="absolute -left-3 top-4 h-0.5 w-3 bg-slate-700" aria-hidden />
      <div className="rounded-md border border-dashed border-slate-700 px-3 py-2 text-xs text-slate-400">
        <span className="font-mono text-slate-200">{transfer.text}</span> — no data connection was opened
        {transfer.reply ? (
          <>
            ; the server answered <span className="font-mono text-red-300">{transfer.reply}</span>
          </>
        ) : null}
        .
      </div>
    </li>
  );
}
