'use client';

import { useCallback, useState } from 'react';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import type { ClassState } from '@/lib/bus/events.ts';
import type { ConnectionInfo } from '@/lib/wire/event.ts';
import { classApi, ownTranscript, type ClassStateChange } from './class-api';
import { errorBox, field, smallButton } from './styles';
import { usePoll } from './use-poll';
import { LIVE_REFRESH_MS, useLiveTranscript } from './use-live-transcript';
import { clockTime } from '@/components/lab/format';
import { counted } from '@/lib/text/numbers.ts';
import { foldRepeats } from '@/components/lab/repeats';

/** 'SMTP · browser console · 10:31:02 · live' */
function describe(c: ConnectionInfo): string {
  return [c.protocol.toUpperCase(), c.label ?? 'client', clockTime(c.startedAt), c.endedAt === null ? 'live' : counted(c.messageCount, 'message')].join(' · ');
}

/**
 * The teacher's own sessions (a console on a lab page, or an external client): pick one, pick a
 * message, and freeze the class on it or rewind the class to that step of the recording.
 */
export function OwnSessions({ state, onChange }: { state: ClassState; onChange(change: ClassStateChange): void }) {
  const loadConnections = useCallback((signal: AbortSignal) => classApi.ownConnections(signal), []);
  const connections = usePoll(loadConnections, LIVE_REFRESH_MS);
  // Until the teacher picks one, the newest session is shown (the one just opened).
  const [picked, setPicked] = useState<string | null>(null);
  const list = (connections.value ?? []).filter((c) => !c.parent && !c.unclaimed);
  const conn = picked ?? list[0]?.id ?? null;
  const transcript = useLiveTranscript(ownTranscript, conn);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const messages = transcript.value?.connection.id === conn ? transcript.value.messages : [];
  const selected = messages.find((m) => m.id === selectedId);
  const [step, setStep] = useState('');
  const [stepError, setStepError] = useState<string | null>(null);

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="own-sessions">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-800 px-3 py-1.5">
        <label className="flex min-w-0 flex-1 items-center gap-2 text-sm text-slate-400">
          Your session
          <select
            className={`${field} min-w-0 flex-1 text-sm`}
            value={conn ?? ''}
            onChange={(e) => {
              setPicked(e.target.value || null);
              setSelectedId(null);
            }}
          >
            {list.length === 0 && <option value="">none yet — open a console on a lab page</option>}
            {/* A client retrying again and again is one option (its newest connection), as on the sessions page. */}
            {foldRepeats(list, (c) => c).map((f) => {
              const c = f.kind === 'one' ? f.line : f.lines[0];
              return (
                <option key={c.id} value={c.id}>
                  {f.kind === 'one' ? describe(c) : `${describe(c)} · newest of ${f.lines.length} alike (a client retrying?)`}
                </option>
              );
            })}
          </select>
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-800 px-3 py-1.5 text-sm" data-testid="class-actions">
        {selected && conn ? (
          <>
            <span className="min-w-0 truncate text-slate-300">
              #{selected.seq} <span className="font-mono">{selected.text.split('\n')[0]}</span>
            </span>
            <button className={smallButton} onClick={() => onChange({ frozen: { conn, seq: selected.seq }, rewind: null })}>
              Freeze class here
            </button>
            <button className={smallButton} onClick={() => onChange({ rewind: { conn, step: selected.seq }, frozen: null })}>
              Rewind class to step {selected.seq}
            </button>
          </>
        ) : (
          <span className="text-slate-400">Click a message to freeze the class on it or rewind the class to it.</span>
        )}
        {conn && (
          <form
            className="ml-auto flex items-center gap-1"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const n = Number(step);
              // Said here, not dropped: a click that did nothing left the teacher guessing (the server checks the end).
              if (!Number.isInteger(n) || n < 1) return setStepError(`A step is a message number: a whole number, 1 or more (not ${step}).`);
              setStepError(null);
              onChange({ rewind: { conn, step: n }, frozen: null });
            }}
          >
            <label className="flex items-center gap-1 text-slate-400">
              step
              <input
                className={`${field} w-16 text-sm`}
                type="number"
                min={1}
                step={1}
                value={step}
                onChange={(e) => {
                  setStep(e.target.value);
                  setStepError(null);
                }}
                aria-label="Step to rewind to"
                aria-invalid={stepError !== null}
                aria-describedby={stepError ? 'rewind-step-error' : undefined}
              />
            </label>
            <button className={smallButton} disabled={step.trim() === ''}>
              Rewind class
            </button>
          </form>
        )}
        {stepError && (
          <p id="rewind-step-error" className={`${errorBox} w-full`} role="alert" data-testid="rewind-step-error">
            {stepError}
          </p>
        )}
      </div>
      {(connections.error ?? transcript.error) && <p className={`${errorBox} m-2`}>{connections.error ?? transcript.error}</p>}
      {state.frozen && state.frozen.conn !== conn && <p className="px-3 py-1 text-sm text-amber-200">The class is frozen on a message of another of your sessions.</p>}
      <div className="min-h-0 flex-1">
        <TranscriptPanel
          messages={messages}
          selectedId={selectedId}
          onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
          emptyText={conn ? 'Reading the transcript…' : 'Open a console on a lab page (in this browser) or run your own client: your session shows here, and followers see it live.'}
        />
      </div>
    </div>
  );
}
