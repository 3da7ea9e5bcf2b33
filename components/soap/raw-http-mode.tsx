'use client';

import { bareHost } from '@/components/lab/address';
import { useLabSocket } from '@/components/lab/lab-socket';
import type { LabFeed } from '@/components/lab/lab-feed';
import { Panel } from '@/components/lab/panel';
import { describeStatus, useConsole } from '@/components/lab/use-console';
import type { ViewMode } from '@/components/terminal/render';
import { ExchangeView } from './exchange-view';

/** "Type HTTP by hand": a raw TCP console to the service host (like `nc -C host port`). */
export function RawHttpMode(props: { feed: LabFeed; mode: ViewMode; httpRequest: string | null; port: number; host: string }) {
  const { connected } = useLabSocket();
  const console_ = useConsole('soap');
  const open = console_.status.state === 'open';
  const lines = props.httpRequest ? props.httpRequest.split('\r\n') : [];
  // The generated text ends with CRLF; the last (empty) piece is not a line.
  if (lines.at(-1) === '') lines.pop();

  return (
    <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,24rem)_minmax(0,1fr)] gap-3">
      <Panel title="Type HTTP by hand">
        <div className="flex h-full flex-col gap-2 overflow-y-auto p-3 text-sm text-slate-300">
          <p>
            This terminal is a plain TCP connection to the service host on port <code className="text-slate-100">{props.port}</code>, like{' '}
            <code className="text-slate-100">nc -C {bareHost(props.host)} {props.port}</code>. HTTP servers do not greet: type the request line, the headers, an empty
            line, then exactly <code>Content-Length</code> bytes of envelope. Every line is sent with CRLF.
          </p>
          <p className="text-slate-400">
            The server closes the connection after answering (<code>Connection: close</code>); press Reconnect for the next request.
          </p>
          <div className="flex gap-2">
            <button
              className="rounded-md border border-sky-500 bg-sky-500/15 px-3 py-1 text-sm text-sky-100 hover:bg-sky-500/25 disabled:opacity-40"
              disabled={!open || lines.length === 0}
              onClick={() => lines.forEach(console_.sendLine)}
              title="Sends the request below line by line, as if typed"
            >
              Type it for me
            </button>
            <button className="rounded-md border border-slate-600 px-3 py-1 text-sm hover:border-slate-400" onClick={console_.reconnect}>
              Reconnect
            </button>
          </div>
          <p className="text-xs text-slate-400">Generated from the envelope editor’s settings:</p>
          <pre className="min-h-0 flex-1 overflow-auto rounded bg-slate-950 p-2 font-mono text-xs leading-5 text-sky-100">{props.httpRequest ?? '…'}</pre>
        </div>
      </Panel>
      <ExchangeView
        feed={props.feed}
        conn={console_.conn}
        mode={props.mode}
        title="Raw console"
        status={describeStatus(console_.status, connected)}
        onLine={open ? console_.sendLine : undefined}
        onInterrupt={console_.close}
        emptyText="Connected. Type a request line, e.g. POST /soap/calendar HTTP/1.1"
      />
    </div>
  );
}
