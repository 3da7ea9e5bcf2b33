'use client';

import { useEffect, useRef } from 'react';
import type { IDecoration, IMarker, Terminal } from '@xterm/xterm';
import type { FitAddon } from '@xterm/addon-fit';
import type { LabMessage } from '@/lib/wire/event.ts';
import { escapeControls } from '@/lib/wire/escape.ts';
import { applyInput, initialEditorState, type LineEditorState } from './line-editor';
import { loadTerminal } from './load-terminal';
import { renderMessage } from './render';
import { unwritten } from './unwritten';

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
const SELECTED_BG = '#1e3a5f';

interface Placed {
  id: string;
  marker: IMarker;
  lines: number;
}

/** An xterm.js panel showing a dissected conversation, with an optional line-editing prompt. */
export function TerminalPanel(props: TerminalPanelProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const placed = useRef<Placed[]>([]);
  // The last message written, by id: the feed drops its oldest messages past its cap, so a count would stall.
  const written = useRef<{ key: string; lastId: string | null; status: string }>({ key: '', lastId: null, status: '' });
  const editor = useRef<LineEditorState>(initialEditorState());
  const decoration = useRef<IDecoration | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  const promptLine = () => {
    const p = propsRef.current;
    if (!p.onLine) return '';
    const { buffer, cursor } = editor.current;
    const back = buffer.length - cursor;
    return `${PROMPT}${escapeControls(buffer)}${back > 0 ? `\x1b[${back}D` : ''}`;
  };
  const redrawPrompt = () => termRef.current?.write(`\r\x1b[2K${promptLine()}`);

  // Create the terminal once, in the browser only.
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    const host = hostRef.current;
    if (!host) return;
    void loadTerminal(host, { fontSize: propsRef.current.fontSize, scrollback: 10_000, allowProposedApi: true }).then(({ term, fit }) => {
      if (disposed || !hostRef.current) {
        term.dispose();
        return;
      }
      // The display settings may have loaded (Presenter's size) while xterm itself was loading.
      term.options.fontSize = propsRef.current.fontSize;
      fit.fit();
      termRef.current = term;
      fitRef.current = fit;
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
      observer = new ResizeObserver(() => fit.fit());
      observer.observe(hostRef.current);
      written.current = { key: '', lastId: null, status: '' };
      sync();
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      termRef.current?.dispose();
      termRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Write new messages (or everything again after a reset).
  const sync = () => {
    const term = termRef.current;
    if (!term) return;
    const p = propsRef.current;
    const next = unwritten(p.messages, written.current.key === p.resetKey ? written.current.lastId : null);
    if (written.current.key !== p.resetKey || next.rewrite) {
      term.reset();
      placed.current = [];
      decoration.current = null;
      written.current = { key: p.resetKey, lastId: null, status: '' };
    }
    const fresh = next.messages;
    const statusChanged = (p.status ?? '') !== written.current.status;
    if (fresh.length === 0 && !statusChanged) return;
    written.current.lastId = p.messages.at(-1)?.id ?? null;
    written.current.status = p.status ?? '';
    term.write('\r\x1b[2K');
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
    if (p.status) term.write(`\x1b[2m${escapeControls(p.status)}\x1b[0m\r\n`);
    term.write(promptLine(), () => highlight(false));
  };

  /** Draws the selection; scrolls to it only when the user just selected it (not on every new line). */
  const highlight = (scrollIntoView: boolean) => {
    const term = termRef.current;
    decoration.current?.dispose();
    decoration.current = null;
    const target = placed.current.find((p) => p.id === propsRef.current.selectedId);
    if (!term || !target || target.marker.isDisposed) return;
    decoration.current =
      term.registerDecoration({ marker: target.marker, height: target.lines, width: term.cols, backgroundColor: SELECTED_BG, layer: 'bottom' }) ??
      null;
    const viewport = term.buffer.active.viewportY;
    if (scrollIntoView && (target.marker.line < viewport || target.marker.line >= viewport + term.rows)) term.scrollToLine(Math.max(0, target.marker.line - 2));
  };

  useEffect(sync);
  useEffect(() => highlight(true), [props.selectedId]);
  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    term.options.fontSize = props.fontSize;
    fitRef.current?.fit();
  }, [props.fontSize]);

  // Clicking a line selects the message drawn there.
  const onClick = (event: React.MouseEvent<HTMLDivElement>) => {
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
      ref={hostRef}
      onClick={onClick}
      role="log"
      aria-label={props.label}
      data-testid="terminal"
      className="h-full min-h-0 w-full overflow-hidden rounded-md border border-slate-800 bg-[#020617] p-2"
    />
  );
}
