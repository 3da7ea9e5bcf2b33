'use client';

import { useEffect, useState, type ReactNode } from 'react';
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
 * browser's sandbox; other browsers' connections pass untouched. While it is on, what is held next has
 * a row of its own under the controls, there whether or not anything is held: a message arriving or
 * leaving never moves the page. `aside` (the lab page's faults and sandbox) ends the controls' row;
 * `note` says, as their tooltip, what this page's step mode holds.
 */
export function StepControls({ protocol, note, aside }: { protocol: Protocol; note?: string; aside?: ReactNode }) {
  const { send, step } = useLabSocket();
  const state = step[protocol];
  const enabled = state?.enabled ?? false;
  const [pace, setPace] = useState(800);
  const [chosen, setChosen] = useState<Scope>('sandbox');
  const [editing, setEditing] = useState<Editing | null>(null);
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
  const next = enabled && state?.held ? state.next : undefined;
  return (
    <div className="flex min-w-0 flex-1 flex-col gap-2">
      <div className="flex min-w-0 flex-wrap items-center gap-x-4 gap-y-2">
        <div className="flex min-w-0 flex-wrap items-center gap-2 whitespace-nowrap" data-testid="step-controls" title={note}>
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
          <button
            className={`${button} border-amber-500 text-amber-200 hover:bg-amber-500/10`}
            disabled={!next?.editable || editing !== null}
            onClick={() => next?.full !== undefined && setEditing({ conn: next.conn, dir: next.dir, draft: next.full })}
            title={next?.editable ? 'Change the next held message before it goes on, or drop it' : (next?.refusal ?? 'Nothing held to edit')}
          >
            Edit…
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
            <span className="text-sm text-amber-300" data-testid="held-count" title="Messages held at the tap, waiting for Step" aria-live="polite">
              {state?.held ?? 0} held
            </span>
          )}
        </div>
        {aside}
      </div>
      {enabled && <HeldNext next={state?.next} />}
      {editing && (
        <HeldEditor
          editing={editing}
          stale={!next || next.conn !== editing.conn || next.dir !== editing.dir}
          onDraft={(draft) => setEditing({ ...editing, draft })}
          onRelease={() => {
            send({ type: 'step.edit', protocol, text: editing.draft });
            setEditing(null);
          }}
          onDrop={() => {
            send({ type: 'step.drop', protocol });
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </div>
  );
}

/** The row under the controls: the next message step mode releases, or that none is held yet. */
function HeldNext({ next }: { next: StepState['next'] }) {
  if (!next) {
    return <p className="text-sm text-slate-400">next: nothing held yet; the next message to reach the tap waits here</p>;
  }
  return (
    <p
      className="flex min-w-0 items-center gap-1.5 text-sm"
      data-testid="held-next"
      title={`Next to release: ${DIRECTION[next.dir]} on ${next.connection} (connection ${next.conn}): ${next.text}`}
    >
      <span className="text-slate-300">next:</span>
      <code className={`min-w-0 max-w-fit shrink truncate whitespace-nowrap rounded bg-slate-900 px-1.5 font-mono ${DIR_CLASS[next.dir]}`}>
        {PREFIX[next.dir]}
        {next.text || '(empty line)'}
      </code>
      {/* The held text keeps its room (the whole row, less "next:"): the connection's name and the refusal give way first. */}
      <span className="min-w-0 max-w-[16rem] shrink-[20] truncate whitespace-nowrap text-slate-300">{next.connection}</span>
      {next.refusal && (
        <span className="min-w-0 shrink-[20] truncate whitespace-nowrap text-amber-300" data-testid="held-refusal" title={next.refusal}>
          cannot edit: {next.refusal}
        </span>
      )}
    </p>
  );
}

/** What is being edited: the held message's connection and direction, and the text so far. */
interface Editing {
  conn: string;
  dir: 'client' | 'server' | 'note';
  draft: string;
}

/**
 * Hold-edit-release: the held message in a textarea; "Release edited" sends the edit on in its
 * place (the lab fixes line ends, Content-Length or the frame size), "Drop" sends nothing.
 */
function HeldEditor(props: { editing: Editing; stale: boolean; onDraft(draft: string): void; onRelease(): void; onDrop(): void; onCancel(): void }) {
  const { editing } = props;
  const rows = Math.min(14, Math.max(2, editing.draft.split('\n').length + 1));
  const button = 'rounded-md border px-3 py-1 text-sm disabled:opacity-40';
  return (
    <div className="flex flex-col gap-2 rounded-md border border-amber-700/70 bg-amber-950/20 p-2" data-testid="held-editor">
      <label className="text-sm text-amber-100" htmlFor="held-editor-text">
        Edit the held message ({DIRECTION[editing.dir]}) before it goes on: the other side gets exactly this, and the transcript keeps the original too.
      </label>
      <textarea
        id="held-editor-text"
        className="w-full resize-y rounded border border-slate-700 bg-slate-950 p-2 font-mono text-sm text-slate-100"
        rows={rows}
        spellCheck={false}
        value={editing.draft}
        onChange={(e) => props.onDraft(e.target.value)}
      />
      {props.stale && <p className="text-sm text-amber-300">The held message changed meanwhile (released, or another came first): Cancel and edit the new one.</p>}
      <div className="flex flex-wrap gap-2">
        <button className={`${button} border-amber-500 bg-amber-500/10 text-amber-100 hover:bg-amber-500/20`} disabled={props.stale} onClick={props.onRelease}>
          Release edited
        </button>
        <button className={`${button} border-red-600 text-red-200 hover:bg-red-500/10`} disabled={props.stale} onClick={props.onDrop}>
          Drop
        </button>
        <button className={`${button} border-slate-600`} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function isScope(scope: StepState['scope'] | undefined): scope is Scope {
  return SCOPES.some((s) => s.scope === scope);
}
