'use client';

import { useEffect, useRef } from 'react';
import type { IDisposable, IMarker } from '@xterm/xterm';
import type { LabMessage } from '@/lib/wire/event.ts';
import { escapeControls } from '@/lib/wire/escape.ts';
import { breakIntoRows } from '@/lib/text/row-breaks.ts';
import { applyInput, initialEditorState, type LineEditorState } from './line-editor';
import { erasePrompt, placeCursor } from './prompt-layout';
import { renderMessage } from './render';
import { unwritten, type LastWritten } from './unwritten';
import { TERMINAL_FRAME, useXterm } from './use-xterm';

export interface TerminalPanelProps {
  /** Messages to show, in order (already filtered by view). */
  messages: LabMessage[];
  /** Changing this clears the terminal (another connection, another view). */
  resetKey: string;
  selectedId: string | null;
  onSelect(id: string): void;
  fontSize: number;
  /** When set, a prompt with a line editor is shown and Enter sends lines here. */
  onLine?: (line: string) => void;
  onInterrupt?: () => void;
  /** A status line under the transcript (connecting, closed…), shown dim. */
  status?: string;
  /** Announced to screen readers and used by tests. */
  label: string;
}

const PROMPT = '\x1b[2m›\x1b[0m ';
/** The cells PROMPT takes ("› "). */
const PROMPT_CELLS = 2;

/** What the prompt shows of the typed text: controls made visible, a tab as one ⇥ (its own width would depend on where it falls). */
function promptText(typed: string): string {
  return escapeControls(typed).replaceAll('\t', '⇥');
}
const SELECTED_BG = '#1e3a5f';
/** A resize settles (a window dragged wider fires many) before the transcript is written again. */
const REFOLD_AFTER_MS = 150;

interface Placed {
  id: string;
  marker: IMarker;
  lines: number;
}

/** An xterm.js panel showing a dissected conversation, with an optional line-editing prompt. */
export function TerminalPanel(props: TerminalPanelProps) {
  const placed = useRef<Placed[]>([]);
  // The last message written, by id: the feed drops its oldest messages past its cap, so a count would stall.
  // `statusRows`: the rows the status line took under the prompt, erased before the next write.
  const written = useRef<{ key: string; last: LastWritten | null; status: string; statusRows: number }>({ key: '', last: null, status: '', statusRows: 0 });
  const editor = useRef<LineEditorState>(initialEditorState());
  // The selection's decorations, one per row, and the markers of its rows after the first.
  const selection = useRef<IDisposable[]>([]);
  const clearSelection = () => {
    for (const part of selection.current) part.dispose();
    selection.current = [];
  };
  const pendingScroll = useRef(false);
  const propsRef = useRef(props);
  propsRef.current = props;
  const logRef = useRef<HTMLDivElement>(null);

  // The prompt's row the cursor was left on (a long line wraps): the next redraw erases from the prompt's first row.
  const promptCursorRow = useRef(0);
  const promptLine = (cols: number) => {
    const p = propsRef.current;
    promptCursorRow.current = 0;
    if (!p.onLine) return '';
    const { buffer, cursor } = editor.current;
    const [before, after] = [promptText(buffer.slice(0, cursor)), promptText(buffer.slice(cursor))];
    const placed = placeCursor(before, after, cols, PROMPT_CELLS);
    promptCursorRow.current = placed.cursorRow;
    return `${PROMPT}${before}${after}${placed.sequence}`;
  };
  const redrawPrompt = () => {
    const term = termRef.current;
    term?.write(erasePrompt(promptCursorRow.current) + promptLine(term.cols));
  };

  const { hostRef, termRef } = useXterm({
    fontSize: props.fontSize,
    scrollback: 10_000,
    allowProposedApi: true,
    onOpen: (term) => {
      term.onData((data) => {
        const p = propsRef.current;
        if (!p.onLine) return;
        const result = applyInput(editor.current, data);
        editor.current = result.state;
        for (const action of result.actions) {
          if (action.type === 'send') p.onLine(action.line);
          else if (action.type === 'interrupt') p.onInterrupt?.();
          else term.clear();
        }
        redrawPrompt();
      });
      // Messages are folded at word boundaries for the width they were written at; xterm's own
      // reflow would cut their words at a new width (Presenter mode, larger text, a resized window),
      // so once the width has settled everything is written again for it.
      let foldedFor = term.cols;
      let refold: ReturnType<typeof setTimeout> | undefined;
      // The log is busy (aria-busy) from the resize until it reads right again.
      const busy = (on: boolean) => logRef.current?.setAttribute('aria-busy', String(on));
      term.onResize(() => {
        clearTimeout(refold);
        busy(true);
        refold = setTimeout(() => {
          if (termRef.current !== term) return;
          if (term.cols === foldedFor) return busy(false);
          foldedFor = term.cols;
          written.current = { key: '', last: null, status: '', statusRows: 0 };
          // The selected message stays in view.
          pendingScroll.current = propsRef.current.selectedId !== null;
          sync();
          term.write('', () => busy(false));
        }, REFOLD_AFTER_MS);
      });
      written.current = { key: '', last: null, status: '', statusRows: 0 };
      sync();
    },
  });

  // Write new messages (or everything again after a reset).
  const sync = () => {
    const term = termRef.current;
    if (!term) return;
    const p = propsRef.current;
    const next = unwritten(p.messages, written.current.key === p.resetKey ? written.current.last : null);
    if (written.current.key !== p.resetKey || next.rewrite) {
      // A full reset (RIS) through the write queue, not term.reset(): that clears at once, while an
      // earlier sync's writes may still be queued and would land after it (Home pressed right after ←
      // in the player drew the old messages above the new ones; xterm.js issue #3053). Where they were drawn goes with them.
      term.write('\x1bc', () => {
        placed.current = [];
        clearSelection();
      });
      written.current = { key: p.resetKey, last: null, status: '', statusRows: 0 };
      promptCursorRow.current = 0;
    }
    const fresh = next.messages;
    const statusChanged = (p.status ?? '') !== written.current.status;
    if (fresh.length === 0 && !statusChanged) return;
    const newest = p.messages.at(-1);
    written.current.last = newest ? { id: newest.id, index: p.messages.length - 1 } : null;
    written.current.status = p.status ?? '';
    // The prompt line, and the status line above it: both say what is true now, so neither stays
    // in the scrollback ("Connecting…" once, not once per batch of messages written while connecting).
    term.write(erasePrompt(promptCursorRow.current, written.current.statusRows));
    written.current.statusRows = 0;
    for (const message of fresh) {
      let start: IMarker | undefined;
      term.write('', () => {
        start = term.registerMarker(0);
      });
      term.write(renderMessage(message, { annotations: true, cols: term.cols }), () => {
        if (!start) return;
        const end = term.buffer.active.baseY + term.buffer.active.cursorY;
        placed.current.push({ id: message.id, marker: start, lines: Math.max(1, end - start.line) });
      });
    }
    if (p.status) {
      // Folded at spaces ("Press Reconnect to start a new se|ssion" was cut by the terminal's own wrap).
      const lines = breakIntoRows(escapeControls(p.status), term.cols - 1);
      term.write(`\x1b[2m${lines.join('\r\n')}\x1b[0m\r\n`);
      written.current.statusRows = lines.length;
    }
    term.write(promptLine(term.cols), () => highlight());
  };

  /**
   * Draws the selection; scrolls to it once per selection (not on every new line), as soon as it
   * is drawn: a deep link selects a message before its connection's history has loaded.
   */
  const highlight = () => {
    const term = termRef.current;
    clearSelection();
    const target = placed.current.find((p) => p.id === propsRef.current.selectedId);
    if (!term || !target || target.marker.isDisposed) return;
    // One decoration per row: xterm's DOM renderer colours a decoration's cells on its marker's row only,
    // whatever its height, so a message's continuation rows and annotation stayed unmarked.
    const cursorLine = term.buffer.active.baseY + term.buffer.active.cursorY;
    for (let row = 0; row < target.lines; row++) {
      const marker = row === 0 ? target.marker : term.registerMarker(target.marker.line + row - cursorLine);
      if (!marker) continue;
      if (row > 0) selection.current.push(marker);
      const decoration = term.registerDecoration({ marker, width: term.cols, backgroundColor: SELECTED_BG, layer: 'bottom' });
      if (decoration) selection.current.push(decoration);
    }
    const viewport = term.buffer.active.viewportY;
    const scrollIntoView = pendingScroll.current;
    pendingScroll.current = false;
    if (scrollIntoView && (target.marker.line < viewport || target.marker.line >= viewport + term.rows)) term.scrollToLine(Math.max(0, target.marker.line - 2));
  };

  useEffect(sync);
  useEffect(() => {
    pendingScroll.current = true;
    highlight();
  }, [props.selectedId]);

  // Whether the console had the keyboard when a click began (captured before xterm focuses itself).
  const hadFocus = useRef(false);
  const onMouseDownCapture = () => {
    hadFocus.current = logRef.current?.contains(document.activeElement) ?? false;
  };

  // Clicking a line selects the message drawn there; a click into a console to type there does not.
  const onClick = (event: React.MouseEvent<HTMLDivElement>) => {
    if (props.onLine && !hadFocus.current) return;
    const term = termRef.current;
    const screen = hostRef.current?.querySelector('.xterm-screen');
    if (!term || !screen) return;
    const rect = screen.getBoundingClientRect();
    const row = Math.floor(((event.clientY - rect.top) / rect.height) * term.rows);
    const line = term.buffer.active.viewportY + row;
    const hit = placed.current.find((p) => line >= p.marker.line && line < p.marker.line + p.lines);
    if (hit) props.onSelect(hit.id);
  };

  return (
    <div
      ref={logRef}
      onMouseDownCapture={onMouseDownCapture}
      onClick={onClick}
      role="log"
      aria-label={props.label}
      data-testid="terminal"
      className={TERMINAL_FRAME}
    >
      <div ref={hostRef} className="h-full w-full" />
    </div>
  );
}
