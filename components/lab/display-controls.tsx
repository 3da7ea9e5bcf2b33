'use client';

import { MAX_FONT, minFont, useDisplay } from './display-context';

/** A−/A+ and presenter-mode buttons in the header. */
export function DisplayControls() {
  const { fontSize, presenter, setFontSize, setPresenter } = useDisplay();
  const button =
    'rounded border border-slate-700 px-2 py-0.5 text-sm text-slate-300 hover:border-slate-500 hover:text-white disabled:opacity-40';
  return (
    <div className="flex items-center gap-2" aria-label="Display settings">
      <button
        className={button}
        onClick={() => setFontSize(fontSize - 1)}
        disabled={fontSize <= minFont(presenter)}
        title={fontSize <= minFont(presenter) ? (presenter ? `Presenter mode keeps text at ${minFont(true)}px or more` : 'Smallest size') : 'Smaller text'}
      >
        {/* The name a voice-control user says includes what is written on the button (WCAG 2.5.3). */}
        A−<span className="sr-only"> Smaller text</span>
      </button>
      <span className="w-10 text-center text-sm tabular-nums text-slate-300" data-testid="font-size">{fontSize}px</span>
      <button className={button} onClick={() => setFontSize(fontSize + 1)} disabled={fontSize >= MAX_FONT} title="Larger text">
        A+<span className="sr-only"> Larger text</span>
      </button>
      <button
        className={`${button} ${presenter ? 'border-amber-400 text-amber-300' : ''}`}
        onClick={() => setPresenter(!presenter)}
        aria-pressed={presenter}
      >
        Presenter
      </button>
    </div>
  );
}
