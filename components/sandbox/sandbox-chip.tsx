'use client';

import { useLayoutEffect, useRef, useState } from 'react';
import { SandboxCard } from './sandbox-card';
import { useSandbox } from './use-sandbox';

/**
 * The compact "Sandbox k3xm9p" chip of every lab page's title line; it opens the sandbox card
 * (login for external clients, mail domain, start / open / leave) in a panel at the right edge.
 */
export function SandboxChip() {
  const state = useSandbox();
  const [open, setOpen] = useState(false);
  const chipRef = useRef<HTMLButtonElement>(null);
  // The card hangs just below the chip, wherever the title line wrapped it (Presenter mode's larger type).
  const [top, setTop] = useState(0);

  // Placed before the first paint, so the card never flashes at the top of the window.
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => setTop(Math.round((chipRef.current?.getBoundingClientRect().bottom ?? 0) + 6));
    place();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, { passive: true });
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place);
    };
  }, [open]);

  const label = state.kind === 'in' ? state.reply.sandbox : state.kind === 'none' ? 'none yet' : '…';
  const shared = state.kind === 'in' && state.reply.shared;
  return (
    <div className="relative">
      <button
        ref={chipRef}
        className={`rounded-full border px-3 py-0.5 text-sm ${state.kind === 'none' ? 'border-amber-500 text-amber-200' : 'border-emerald-700 text-emerald-100 hover:border-emerald-400'}`}
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        aria-controls="sandbox-card"
        data-testid="sandbox-chip"
        title="Your sandbox: its login for your own clients, its mail domain; start, open or leave one"
      >
        Sandbox <span className="font-mono font-semibold" data-testid="sandbox-chip-id">{label}</span>
        {shared && <span className="text-emerald-300/80"> · shared</span>}
      </button>
      {open && (
        // Fixed at the right edge, scrolling inside what is left below the chip: fits 1280×720 and Presenter mode alike.
        <div
          id="sandbox-card"
          className="fixed right-3 z-30 w-[min(36rem,calc(100vw-1.5rem))] overflow-y-auto rounded-lg border border-slate-700 bg-slate-950 p-4 shadow-xl"
          style={{ top, maxHeight: `calc(100vh - ${top}px - 0.75rem)` }}
          data-testid="sandbox-card"
          role="dialog"
          aria-label="Your sandbox"
        >
          <SandboxCard state={state} onClose={() => setOpen(false)} />
        </div>
      )}
    </div>
  );
}
