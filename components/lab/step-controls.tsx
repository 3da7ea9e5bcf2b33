'use client';

import { useEffect, useState } from 'react';
import type { StepState } from '@/lib/bus/events.ts';
import type { Protocol } from '@/lib/wire/event.ts';
import { useLabSocket } from './lab-socket';

const PACES = [
  { label: 'slow', ms: 1500 },
  { label: 'normal', ms: 800 },
  { label: 'fast', ms: 250 },
];

const DIRECTION = { client: 'client → server', server: 'server → client', note: 'lab note' } as const;
/** The terminal's own prefixes, so the held line reads like the line it will become. */
const PREFIX = { client: 'C: ', server: 'S: ', note: '• ' } as const;
const DIR_CLASS = { client: 'text-client', server: 'text-server', note: 'text-note' } as const;

/** What step mode holds for this browser: never another browser's connections. */
const SCOPES = [
  { scope: 'sandbox', label: 'my sandbox', title: 'Also hold clients you run yourself (swaks, curl, ssh…) in your sandbox' },
  { scope: 'own', label: 'my console', title: "Hold only the connections this page's console and panels open" },
] as const;
type Scope = (typeof SCOPES)[number]['scope'];

/**
 * Step mode for this browser: hold messages at the tap; Step (or Space) releases one, Play
 * releases at a pace. It holds this page's own connections, or also external clients in the
 * browser's sandbox; other browsers' connections pass untouched.
 */
export function StepControls({ protocol }: { protocol: Protocol }) {
  const { send, step } = useLabSocket();
  const state = step[protocol];
  const enabled = state?.enabled ?? false;
  const [pace, setPace] = useState(800);
  const [chosen, setChosen] = useState<Scope>('sandbox');
  const scope: Scope = enabled && isScope(state?.scope) ? state.scope : chosen;

  // Space steps, unless the user is typing in a terminal or a field.
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.code !== 'Space' || target?.closest('input, textarea, select, .xterm, [contenteditable]')) return;
      event.preventDefault();
      send({ type: 'step.next', protocol });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, protocol, send]);

  const button = 'rounded-md border px-3 py-1 text-sm disabled:opacity-40';
  return (
    // Grows into the toolbar's free space and truncates what is held rather than wrapping to a second row.
    <div className="flex min-w-0 flex-1 items-center gap-2 whitespace-nowrap" data-testid="step-controls">
      <label className="flex cursor-pointer items-center gap-2 text-sm">
        <input
          type="checkbox"
          className="h-4 w-4 accent-sky-400"
          checked={enabled}
          onChange={(e) => send({ type: 'step.set', protocol, enabled: e.target.checked, scope })}
        />
        Step mode
      </label>
      <select
        className="rounded-md border border-slate-700 bg-slate-900 px-2 py-1 text-sm"
        value={scope}
        onChange={(e) => {
          const next = e.target.value as Scope;
          setChosen(next);
          if (enabled) send({ type: 'step.set', protocol, enabled: true, scope: next });
        }}
        aria-label="What to hold"
        title={SCOPES.find((s) => s.scope === scope)?.title}
      >
        {SCOPES.map((s) => (
          <option key={s.scope} value={s.scope} title={s.title}>
            {s.label}
          </option>
        ))}
      </select>
      <button
        className={`${button} border-sky-500 bg-sky-500/10 text-sky-200 hover:bg-sky-500/20`}
        disabled={!enabled || !state?.held}
        onClick={() => send({ type: 'step.next', protocol })}
        title="Release the next held message (Space)"
      >
        Step ▸
      </button>
      {state?.playing ? (
        <button className={`${button} border-slate-600`} onClick={() => send({ type: 'step.pause', protocol })}>
          Pause
        </button>
      ) : (
        <button className={`${button} border-slate-600`} disabled={!enabled} onClick={() => send({ type: 'step.play', protocol, paceMs: pace })}>
          Play
        </button>
      )}
      <select
        className="rounded-md border border-slate-700 bg-slate-900 px-2 py-1 text-sm"
        value={pace}
        onChange={(e) => setPace(Number(e.target.value))}
        aria-label="Play pace"
      >
        {PACES.map((p) => (
          <option key={p.ms} value={p.ms}>
            {p.label}
          </option>
        ))}
      </select>
      {enabled && (
        <span className="flex min-w-0 flex-1 items-center gap-2 overflow-hidden text-sm" aria-live="polite">
          <span className="whitespace-nowrap text-amber-300" data-testid="held-count" title="Messages held at the tap, waiting for Step">
            {state?.held ? `${state.held} held` : 'waiting for traffic'}
          </span>
          {state?.next && (
            <span
              className="flex min-w-0 max-w-[48rem] items-center gap-1.5"
              data-testid="held-next"
              title={`Next to release: ${DIRECTION[state.next.dir]} on ${state.next.connection} (connection ${state.next.conn}): ${state.next.text}`}
            >
              <span className="text-slate-300">next:</span>
              <code className={`min-w-0 truncate whitespace-nowrap rounded bg-slate-900 px-1.5 font-mono ${DIR_CLASS[state.next.dir]}`}>
                {PREFIX[state.next.dir]}
                {state.next.text || '(empty line)'}
              </code>
              <span className="min-w-0 max-w-[16rem] shrink truncate whitespace-nowrap text-slate-300">{state.next.connection}</span>
            </span>
          )}
        </span>
      )}
    </div>
  );
}

function isScope(scope: StepState['scope'] | undefined): scope is Scope {
  return SCOPES.some((s) => s.scope === scope);
}
