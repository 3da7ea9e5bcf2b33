'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { usePathname } from 'next/navigation';
import { callRoute } from '@/lib/http/contract.ts';
import { faultContracts as c, type FaultsReply } from '@/lib/http/fault-contracts.ts';
import type { ArmedFault, FaultRule } from '@/lib/faults/types.ts';
import { PROTOCOLS, type Protocol } from '@/lib/wire/event.ts';
import { useLabSocket } from './lab-socket';
import { counted } from '@/lib/text/numbers.ts';

/** The lab of the page: the first path segment (/smtp, /ftp…), as every lab page is routed. */
function labOfPath(path: string | null): Protocol | null {
  const first = (path ?? '').split('/')[1] ?? '';
  return (PROTOCOLS as readonly string[]).includes(first) ? (first as Protocol) : null;
}

/** How a rule is armed from the menu: its scope, how many times, its number. */
interface Choice {
  scope: 'sandbox' | 'connection';
  conn: string;
  /** Empty: until disarmed. */
  times: string;
  param: string;
}

/**
 * The Faults menu of every lab page: the lab's scripted faults (lib/faults/catalogue.ts) with a
 * switch each, armed for this sandbox or one connection, for the next N times or until switched
 * off. What is armed, and what fired, is live: the daemon sends every change of what is armed.
 */
export function FaultsMenu() {
  const lab = labOfPath(usePathname());
  const { subscribe } = useLabSocket();
  const [open, setOpen] = useState(false);
  /** The menu's top edge: just under the button, wherever the page's toolbar put it. */
  const [top, setTop] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  // While open: under the button as the toolbar moves (Presenter mode, a held message, a resized window);
  // Escape or a click elsewhere closes it, as the sandbox card does.
  useEffect(() => {
    if (!open) return;
    // The button moves when the toolbar around it changes size (a row wraps or unwraps, larger type) or
    // the window does: measured again then, not every frame.
    const place = () => setTop((button.current?.getBoundingClientRect().bottom ?? 0) + 6);
    place();
    const moved = new ResizeObserver(place);
    const toolbar = button.current?.closest('[data-lab-toolbar]');
    if (toolbar) moved.observe(toolbar);
    window.addEventListener('resize', place);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      moved.disconnect();
      window.removeEventListener('resize', place);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  // The connection the page's URL names (?conn=…), offered for "one connection".
  const [selectedConn, setSelectedConn] = useState('');
  useEffect(() => setSelectedConn(new URLSearchParams(window.location.search).get('conn') ?? ''), [open]);
  const [state, setState] = useState<FaultsReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [fired, setFired] = useState<Record<string, number>>({});

  const load = useCallback(() => {
    if (!lab) return;
    callRoute(c.faults, { query: { lab } })
      .then(setState)
      .catch((e: Error) => setError(e.message));
  }, [lab]);
  useEffect(load, [load]);

  // The daemon says whenever what is armed changes (here, in a lesson's what-if, in another tab, a rule firing
  // down its count); an injected message means a rule fired: count it.
  useEffect(
    () =>
      subscribe((message) => {
        if (message.type === 'hello') load();
        if (message.type !== 'events') return;
        const news = message.events.findLast((e) => e.type === 'faults');
        if (news?.type === 'faults') setState((prev) => prev && { ...prev, armed: news.armed.filter((f) => prev.rules.some((r) => r.id === f.rule)) });
        const hits = message.events.flatMap((e) => (e.type === 'message' && e.message.injected ? [e.message.injected.rule] : []));
        if (hits.length > 0) setFired((now) => hits.reduce((acc, rule) => ({ ...acc, [rule]: (acc[rule] ?? 0) + 1 }), now));
      }),
    [subscribe, load],
  );

  if (!lab || !state || state.rules.length === 0) return null;
  const armed = new Map(state.armed.map((f) => [f.rule, f]));
  const choiceOf = (rule: FaultRule): Choice => choices[rule.id] ?? { scope: 'sandbox', conn: selectedConn, times: '1', param: String(rule.param?.default ?? '') };

  const toggle = async (rule: FaultRule, enabled: boolean) => {
    const choice = choiceOf(rule);
    setError(null);
    try {
      const reply = await callRoute(c.setFault, {
        body: {
          rule: rule.id,
          enabled,
          ...(enabled && choice.scope === 'connection' ? { scope: 'connection' as const, conn: choice.conn.trim() } : {}),
          ...(enabled && choice.times.trim() ? { times: Number(choice.times) } : {}),
          ...(enabled && rule.param && choice.param.trim() ? { param: Number(choice.param) } : {}),
        },
      });
      setState({ rules: state.rules, armed: reply.armed.filter((f) => state.rules.some((r) => r.id === f.rule)), owner: reply.owner });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="relative">
      <button
        className={`rounded-md border px-3 py-1 text-sm ${armed.size ? 'border-red-500 bg-red-500/10 text-red-100' : 'border-slate-600 hover:border-slate-400'}`}
        ref={button}
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        data-testid="faults-button"
        title="Scripted faults: make this lab's server (or the wire) misbehave on purpose, the same way every time"
      >
        Faults{armed.size ? ` · ${armed.size} armed` : ''}
      </button>
      {open && (
        // Fixed at the right edge under the button, scrolling inside: it fits 1280×720 and Presenter mode's larger type alike.
        <div
          className="fixed right-3 z-30 w-[min(44rem,calc(100vw-1.5rem))] space-y-2 overflow-y-auto rounded-lg border border-slate-700 bg-slate-950 p-3 shadow-xl"
          style={{ top, maxHeight: `calc(100vh - ${top + 12}px)` }}
          ref={menu}
          data-testid="faults-menu"
        >
          <p className="text-sm text-slate-300">
            Each rule is armed for your sandbox (or one connection) and marked <span className="rounded bg-red-500/20 px-1 text-red-200">injected</span> in the transcript whenever it acts.
          </p>
          {error && <p className="rounded border border-red-800 bg-red-950/50 px-2 py-1 text-sm text-red-200">{error}</p>}
          <ul className="space-y-2">
            {state.rules.map((rule) => (
              <FaultRow
                key={rule.id}
                rule={rule}
                armed={armed.get(rule.id)}
                ownersOnly={rule.shared === true && !state.owner}
                fired={fired[rule.id] ?? 0}
                choice={choiceOf(rule)}
                onChoice={(choice) => setChoices({ ...choices, [rule.id]: choice })}
                onToggle={(on) => void toggle(rule, on)}
              />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function FaultRow(props: {
  rule: FaultRule;
  armed: ArmedFault | undefined;
  /** The rule changes what every sandbox shares and this is a student's page: shown, not offered. */
  ownersOnly: boolean;
  fired: number;
  choice: Choice;
  onChoice(choice: Choice): void;
  onToggle(on: boolean): void;
}) {
  const { rule, armed, choice } = props;
  const field = 'rounded border border-slate-700 bg-slate-900 px-1.5 py-0.5 text-sm disabled:opacity-50';
  const scopeText = armed?.scope.kind === 'connection' ? `connection ${armed.scope.conn}` : 'my sandbox';
  return (
    <li className={`rounded-md border p-2 ${armed ? 'border-red-700 bg-red-950/30' : 'border-slate-800'}`} data-testid={`fault-${rule.id}`}>
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex cursor-pointer items-center gap-2 text-sm font-medium text-slate-100">
          <input
            type="checkbox"
            role="switch"
            className="h-4 w-4 accent-red-500 disabled:opacity-40"
            checked={armed !== undefined}
            disabled={props.ownersOnly && !armed}
            aria-describedby={props.ownersOnly ? `owners-only-${rule.id}` : undefined}
            onChange={(e) => props.onToggle(e.target.checked)}
          />
          {rule.title}
        </label>
        <span className="text-xs text-slate-400">{rule.at === 'tap' ? 'on the wire' : 'by the server'}</span>
        {armed && (
          <span className="text-xs text-red-200" data-testid="fault-armed">
            armed for {scopeText} · {armed.remaining === null ? 'until switched off' : counted(armed.remaining, 'more time')}
            {armed.lesson && ' · by a lesson’s what-if (leaving the lesson disarms it)'}
          </span>
        )}
        {props.fired > 0 && <span className="text-xs text-amber-300">fired {props.fired}× on this page</span>}
      </div>
      <p className="mt-1 text-xs text-slate-400">
        {rule.explain} {rule.ref && <span className="text-sky-300">{rule.ref}</span>}
      </p>
      {props.ownersOnly && (
        <p className="mt-1 text-xs text-amber-200" id={`owners-only-${rule.id}`} data-testid="fault-owners-only">
          Only the machine owner (the teacher) arms this one: the {rule.lab.toUpperCase()} server is shared by every sandbox, so it would change it for the whole class.
        </p>
      )}
      {!armed && !props.ownersOnly && (
        <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-300">
          <select className={field} value={choice.scope} onChange={(e) => props.onChoice({ ...choice, scope: e.target.value as Choice['scope'] })} aria-label="Scope">
            <option value="sandbox">my sandbox</option>
            <option value="connection">one connection</option>
          </select>
          {choice.scope === 'connection' && (
            <input className={`${field} w-44 font-mono`} placeholder="connection id" value={choice.conn} onChange={(e) => props.onChoice({ ...choice, conn: e.target.value })} aria-label="Connection id" />
          )}
          <label className="flex items-center gap-1">
            times
            <input className={`${field} w-16`} inputMode="numeric" placeholder="∞" value={choice.times} onChange={(e) => props.onChoice({ ...choice, times: e.target.value.replace(/\D/g, '') })} aria-label="Times" />
          </label>
          {rule.param && (
            <label className="flex items-center gap-1">
              {rule.param.name}
              <input className={`${field} w-24`} inputMode="numeric" value={choice.param} onChange={(e) => props.onChoice({ ...choice, param: e.target.value.replace(/\D/g, '') })} aria-label={rule.param.name} />
            </label>
          )}
        </div>
      )}
    </li>
  );
}
