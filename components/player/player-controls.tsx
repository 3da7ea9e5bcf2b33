'use client';

import { useEffect, useRef, useState } from 'react';
import type { LabMessage } from '@/lib/wire/event.ts';
import type { Pace, Position } from './use-position';

const PACES: { label: string; value: Pace }[] = [
  { label: 'as recorded', value: 'recorded' },
  { label: 'slow (1.5 s)', value: 1500 },
  { label: 'normal (0.8 s)', value: 800 },
  { label: 'fast (0.25 s)', value: 250 },
];

/** Tick colours by direction, as the terminal colours client, server and notes. */
const TICK = { client: '#7dd3fc', server: '#86efac', note: '#fcd34d' } as const;

const button = 'rounded-md border border-slate-600 px-2.5 py-1 text-sm hover:border-slate-400 disabled:opacity-40';

/**
 * The player's transport: first, back, forward, last, "message N of M" to jump, Play/Pause at a
 * pace, and a scrubber over a strip with one tick per message coloured by direction.
 */
export function PlayerControls({ position, messages, live }: { position: Position; messages: readonly LabMessage[]; live: boolean }) {
  const { index, go } = position;
  const count = messages.length;
  const [draft, setDraft] = useState<string | null>(null);
  const atStart = index <= 0;
  const atEnd = index >= count - 1;

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="player-controls">
      <div className="flex items-center gap-1" role="group" aria-label="Step through the session">
        <button className={button} onClick={() => go('home')} disabled={atStart} aria-label="First message" title="First message (Home)">
          ⇤
        </button>
        <button className={button} onClick={() => go('back')} disabled={atStart} title="Previous message (←)">
          ◀ Back
        </button>
        <button className={button} onClick={() => go('forward')} disabled={atEnd} title="Next message (→)">
          Forward ▶
        </button>
        <button className={button} onClick={() => go('end')} disabled={count === 0 || (atEnd && (!live || position.following))} aria-label="Last message" title={live ? 'Newest message, and follow new ones (End)' : 'Last message (End)'}>
          ⇥
        </button>
      </div>
      <label className="flex items-center gap-1.5 text-sm text-slate-300">
        message
        <input
          type="number"
          min={1}
          max={Math.max(1, count)}
          aria-label="Jump to message"
          data-testid="jump"
          className="rounded-md border border-slate-700 bg-slate-900 px-1.5 py-0.5 text-right tabular-nums"
          // As wide as the largest number it may hold, plus padding and Chromium's spin buttons (a fixed ~15px at any
          // type size): a fixed 4.5em cut the fourth digit of "1188" off.
          style={{ width: `calc(${Math.max(3, String(count).length)}ch + 0.75rem + 22px)` }}
          value={draft ?? (index >= 0 ? index + 1 : '')}
          onChange={(e) => setDraft(e.target.value)}
          onFocus={(e) => e.target.select()}
          onBlur={() => setDraft(null)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || draft === null) return;
            const n = Number(draft);
            if (Number.isFinite(n) && n >= 1) go({ to: Math.round(n) });
            setDraft(null);
          }}
        />
        <span className="tabular-nums" data-testid="message-count">
          of {count}
        </span>
      </label>
      <div className="flex items-center gap-1.5">
        {position.playing ? (
          <button className={`${button} border-sky-500 text-sky-100`} onClick={position.pause} aria-label="Pause the session">
            Pause
          </button>
        ) : (
          // Named apart from step mode's Play, which releases held messages at the tap.
          <button className={`${button} border-sky-500 text-sky-100`} onClick={position.play} disabled={count < 2} aria-label="Play the session" title="Play the session from here (from the start when at the end)">
            ▶ Play
          </button>
        )}
        <select
          className="rounded-md border border-slate-700 bg-slate-900 px-2 py-1 text-sm"
          aria-label="Pace of Play"
          value={String(position.pace)}
          onChange={(e) => position.setPace(e.target.value === 'recorded' ? 'recorded' : Number(e.target.value))}
        >
          {PACES.map((p) => (
            <option key={String(p.value)} value={String(p.value)}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <Scrubber position={position} messages={messages} />
    </div>
  );
}

/** A range input over a strip of ticks, one per message; drag, click or use its arrow keys. */
function Scrubber({ position, messages }: { position: Position; messages: readonly LabMessage[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const count = messages.length;

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const draw = () => {
      const width = el.clientWidth;
      const height = el.clientHeight;
      el.width = width * devicePixelRatio;
      el.height = height * devicePixelRatio;
      const ctx = el.getContext('2d');
      if (!ctx || count === 0) return;
      ctx.scale(devicePixelRatio, devicePixelRatio);
      const step = width / count;
      messages.forEach((m, i) => {
        ctx.globalAlpha = i <= position.index ? 1 : 0.35;
        ctx.fillStyle = TICK[m.dir];
        ctx.fillRect(i * step, m.dir === 'note' ? height / 3 : 0, Math.max(1, step - (step > 3 ? 1 : 0)), m.dir === 'note' ? height / 3 : height);
      });
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(el);
    return () => observer.disconnect();
  }, [messages, count, position.index]);

  return (
    <div className="flex min-w-[12rem] flex-1 flex-col gap-0.5">
      <input
        type="range"
        min={1}
        max={Math.max(1, count)}
        value={position.index + 1}
        disabled={count === 0}
        onChange={(e) => position.go({ to: Number(e.target.value) })}
        aria-label="Scrub through the session"
        data-testid="scrubber"
        className="w-full accent-sky-400"
      />
      <canvas
        ref={canvas}
        className="h-2 w-full cursor-pointer"
        aria-hidden
        onClick={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          position.go({ to: Math.floor(((e.clientX - rect.left) / rect.width) * count) + 1 });
        }}
      />
    </div>
  );
}
