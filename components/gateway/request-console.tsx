'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { useDisplay } from '@/components/lab/display-context';
import type { LabFeed } from '@/components/lab/lab-feed';
import { Panel } from '@/components/lab/panel';
import { shareSelection } from '@/components/lab/deep-link';
import { loadTranscript } from '@/components/lab/use-lab-feed';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { TerminalPanel } from '@/components/terminal/terminal-panel';
import type { LabMessage } from '@/lib/wire/event.ts';
import { soapApi } from '@/components/soap/api';
import { gatewayApi, type CatalogueServiceView, type ConsoleExchange, type DecisionRecord } from './api';
import { DecisionCard } from './decision-card';
import { exampleBody, examplePath, traceLine } from './examples';
import { AccessLadder } from './ladder';
import { QuickSwitches } from './switches';
import type { AccessState } from './use-access';

/** The label the daemon gives connections made by POST /api/access/request. */
const CONSOLE_LABEL = 'access-control request console';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Auth = 'basic' | 'api-key' | 'none';

const input = 'w-full min-w-0 rounded border border-slate-700 bg-slate-950 px-2 py-1 font-mono text-xs text-slate-100';
const labelText = 'block text-xs text-slate-400';

/** What the console shows: a connection, the decision made on it and (a shared link's) message in it. */
export interface Selection {
  conn: string | null;
  decision: DecisionRecord | null;
  msg?: string | null;
}

/** The interceptor's note with its trace on one line, so the terminal prints the whole chain under it. */
function withTraceLine(m: LabMessage): LabMessage {
  const a = m.annotation;
  if (!a?.key?.startsWith('access.') || !a.explain) return m;
  const line = traceLine(a.explain);
  return line ? { ...m, annotation: { ...a, explain: line } } : m;
}

/** `Class.method` of the service's handler, for the ladder. */
export function handlerOf(services: CatalogueServiceView[] | undefined, id: string | null): string | undefined {
  const s = services?.find((x) => x.id === id);
  return s ? `${s.handler.class}.${s.handler.method}` : undefined;
}

/**
 * The request console: call any service as any user (Basic, X-Api-Key or nothing) through the
 * lab's tap; the exchange is shown in xterm with the interceptor's decision as a note, the trace
 * beside it and the ladder under it. The switches on the left change the model between two sends.
 */
export function RequestConsole(props: { access: AccessState; feed: LabFeed; mode: ViewMode; selection: Selection; onSelect(s: Selection): void }) {
  const { access, feed, selection } = props;
  const { fontSize } = useDisplay();
  const services = access.catalogue?.services;
  const users = access.model?.users.map((u) => u.name) ?? ['alice', 'bob', 'mallory'];
  const [user, setUser] = useState<string>('bob');
  const [auth, setAuth] = useState<Auth>('basic');
  const [wrongSecret, setWrongSecret] = useState(false);
  const [serviceId, setServiceId] = useState('library.borrow');
  const [method, setMethod] = useState<string>('POST');
  const [path, setPath] = useState('/api/library/loans');
  const [body, setBody] = useState('');
  const [soap, setSoap] = useState<{ contentType: string; soapAction?: string } | null>(null);
  const [sending, setSending] = useState<Set<string> | null>(null);
  const [result, setResult] = useState<ConsoleExchange | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selectedMsg, setSelectedMsg] = useState<string | null>(null);
  const selectedService = services?.find((s) => s.id === serviceId);

  // Picking a service (or another user) fills in an example request for it; a model change (a new
  // catalogue object with the same revision) leaves what the user typed alone.
  const revision = access.catalogue?.revision;
  useEffect(() => {
    const service = services?.find((s) => s.id === serviceId);
    if (!service) return;
    const caller = auth === 'none' ? null : user;
    setMethod(service.method);
    setPath(examplePath(service, caller));
    if (service.protocol === 'soap') {
      const operation = service.handler.method;
      setBody('');
      void soapApi
        .envelope({ operation, version: '1.1', year: '2025', month: '3' })
        .then((e) => {
          setBody(e.envelope);
          setSoap({ contentType: e.headers['Content-Type'] ?? 'text/xml; charset=utf-8', soapAction: e.headers.SOAPAction?.replace(/"/g, '') });
        })
        .catch((err: Error) => setError(`No envelope for ${operation}: ${err.message}`));
    } else {
      setSoap(null);
      setBody(exampleBody(service, caller) ?? '');
    }
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `services` is new on every reload; its revision is the key
  }, [serviceId, revision, user, auth]);

  const send = async () => {
    setSending(new Set(feed.listConnections().map((c) => c.id)));
    setError(null);
    setSelectedMsg(null);
    props.onSelect({ conn: null, decision: null });
    try {
      const r = await gatewayApi.request({
        method: METHODS.find((m) => m === method) ?? 'GET',
        path,
        user: auth === 'none' ? null : user,
        auth,
        secret: wrongSecret && auth !== 'none' ? 'not-the-secret' : undefined,
        body: body === '' ? undefined : body,
        contentType: soap?.contentType,
        soapAction: soap?.soapAction,
      });
      setResult(r);
      if (r.error) setError(r.error);
      props.onSelect({ conn: r.conn, decision: r.decision });
      // The exchange is complete: load it whole in case a live event was missed.
      if (r.conn) void loadTranscript(feed, r.conn).catch(() => {});
      access.reloadLog();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSending(null);
    }
  };

  // While a request is in flight (held in step mode), follow its connection as soon as it opens.
  const fresh = sending ? feed.listConnections().find((c) => !sending.has(c.id) && c.label === CONSOLE_LABEL) : undefined;
  const conn = sending ? (fresh?.id ?? null) : selection.conn;
  const all = conn ? feed.messagesOf(conn) : [];
  const messages = useMemo(() => all.filter((m) => isVisible(m, props.mode)).map(withTraceLine), [all, props.mode]);
  const status = sending && !fresh ? 'Sending…' : !conn ? 'Pick a user and a service, then Send.' : undefined;

  // Once an exchange is complete, select the interceptor's note: the terminal scrolls to the
  // decision, with the request just above it and the answer below.
  const autoSelected = useRef<string | null>(null);
  // A shared link names its message: that one is selected, not the decision note.
  const linkedMsg = selection.msg ?? null;
  useEffect(() => {
    if (!linkedMsg || !selection.conn) return;
    autoSelected.current = selection.conn;
    setSelectedMsg(linkedMsg);
  }, [linkedMsg, selection.conn]);
  const selectMsg = (id: string | null) => {
    setSelectedMsg(id);
    if (conn) shareSelection(conn, id);
  };
  useEffect(() => {
    if (!conn || sending || autoSelected.current === conn) return;
    const note = messages.find((m) => m.annotation?.key?.startsWith('access.'));
    if (!note) return;
    autoSelected.current = conn;
    setSelectedMsg(note.id);
  }, [conn, messages, sending]);

  return (
    <div className="grid h-full min-h-0 grid-cols-[minmax(0,22fr)_minmax(0,50fr)_minmax(0,28fr)] gap-3">
      {/* In Presenter mode the form and the switches outgrow 720 px: this column scrolls, never the page. Neither panel
          shrinks below its content (in a grid's auto row the form did, and the switches covered its Send button). */}
      <div className="flex min-h-0 min-w-0 flex-col gap-3 overflow-y-auto">
        <Panel title="Request" className="shrink-0">
          <form
            className="space-y-2 p-3"
            data-testid="request-form"
            onSubmit={(e) => {
              e.preventDefault();
              void send();
            }}
          >
            <div className="grid grid-cols-2 gap-2">
              <label className={labelText}>
                As user
                <select className={input} value={user} onChange={(e) => setUser(e.target.value)} aria-label="As user">
                  {users.map((u) => (
                    <option key={u}>{u}</option>
                  ))}
                  <option value="eve">eve (unknown)</option>
                </select>
              </label>
              <label className={labelText}>
                Credentials
                <select className={input} value={auth} onChange={(e) => setAuth(e.target.value as Auth)} aria-label="Credentials">
                  <option value="basic">Basic</option>
                  <option value="api-key">X-Api-Key</option>
                  <option value="none">none</option>
                </select>
              </label>
            </div>
            <label className={labelText}>
              Service
              <select className={input} value={serviceId} onChange={(e) => setServiceId(e.target.value)} aria-label="Service">
                {services?.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id}
                  </option>
                ))}
              </select>
            </label>
            {/* Its products on a line of their own, wrapping: in the closed select they were cut in a narrow column. */}
            {selectedService && (
              <p className="text-xs text-slate-400" data-testid="service-products">
                {selectedService.products.length ? `in ${selectedService.products.join(', ')}` : 'in no product'}
              </p>
            )}
            {/* On a projector the column is narrow for the larger type: the path gets a row of its own, to read whole. */}
            <div className="grid grid-cols-[5.5rem_minmax(0,1fr)] gap-2 [.presenter_&]:grid-cols-1">
              <select className={input} value={method} onChange={(e) => setMethod(e.target.value)} aria-label="Method">
                {METHODS.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
              <input className={input} value={path} onChange={(e) => setPath(e.target.value)} aria-label="Path" spellCheck={false} />
            </div>
            {(method !== 'GET' || body !== '') && (
              <textarea className={`${input} h-16 resize-y`} value={body} onChange={(e) => setBody(e.target.value)} aria-label="Body" spellCheck={false} />
            )}
            <div className="flex items-center gap-3">
              <button type="submit" className="rounded-md border border-sky-500 bg-sky-500/10 px-3 py-1 text-sm text-sky-100 hover:bg-sky-500/20 disabled:opacity-40" disabled={sending !== null}>
                {sending ? 'Sending…' : 'Send'}
              </button>
              <label className="flex items-center gap-1 text-xs text-slate-400">
                <input type="checkbox" checked={wrongSecret} onChange={(e) => setWrongSecret(e.target.checked)} /> wrong {auth === 'api-key' ? 'key' : 'password'}
              </label>
            </div>
            {error && <p className="text-xs text-rose-300">{error}</p>}
            {result && !error && (
              <p className="text-xs text-slate-400" data-testid="request-result">
                {result.status} in {result.elapsedMs} ms
              </p>
            )}
          </form>
        </Panel>
        <Panel title="Switches (apply at once)" className="min-h-32 shrink-0 grow">
          <QuickSwitches access={access} />
        </Panel>
      </div>
      <Panel title="HTTP on the wire" className="min-w-0" actions={<span className="truncate text-xs text-slate-400" data-testid="request-conn">{conn ?? ''}</span>}>
        <div className="h-full p-2" data-testid="request-terminal" data-selected={selectedMsg ?? ''}>
          <TerminalPanel
            label="HTTP exchange"
            messages={messages}
            resetKey={`${conn}-${props.mode}`}
            selectedId={selectedMsg}
            onSelect={(id) => selectMsg(id === selectedMsg ? null : id)}
            fontSize={fontSize}
            status={status}
          />
        </div>
      </Panel>
      <div className="grid min-h-0 min-w-0 grid-cols-1 grid-rows-[auto_minmax(0,1fr)] gap-3">
        <Panel title="Ladder">
          <AccessLadder decision={selection.decision} handler={handlerOf(services, selection.decision?.service ?? null)} />
        </Panel>
        <Panel title="Interceptor’s decision">
          <DecisionCard decision={selection.decision} />
        </Panel>
      </div>
    </div>
  );
}
