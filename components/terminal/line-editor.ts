/**
 * A friendly line editor for raw protocol consoles (like telnet with readline): local echo,
 * backspace, ←/→, Home/End, ↑/↓ history; Enter sends the line, Ctrl+C interrupts. Pure:
 * feed it xterm's onData strings, get the new state and what to do.
 */
export interface LineEditorState {
  buffer: string;
  cursor: number;
  history: string[];
  /** Position while browsing history; equals history.length when editing a new line. */
  historyIndex: number;
  /** The line being typed before browsing history, restored on the way back down. */
  draft: string;
}

export type EditorAction = { type: 'send'; line: string } | { type: 'interrupt' } | { type: 'clear-screen' };

const HISTORY_LIMIT = 200;

export function initialEditorState(history: string[] = []): LineEditorState {
  return { buffer: '', cursor: 0, history, historyIndex: history.length, draft: '' };
}

function withBuffer(state: LineEditorState, buffer: string, cursor = buffer.length): LineEditorState {
  return { ...state, buffer, cursor: Math.max(0, Math.min(cursor, buffer.length)) };
}

function submit(state: LineEditorState, actions: EditorAction[]): LineEditorState {
  const line = state.buffer;
  actions.push({ type: 'send', line });
  const history = line.trim() && state.history[state.history.length - 1] !== line ? [...state.history, line].slice(-HISTORY_LIMIT) : state.history;
  return { buffer: '', cursor: 0, history, historyIndex: history.length, draft: '' };
}

// Escape sequences xterm sends for editing keys.
const KEYS: Record<string, (s: LineEditorState) => LineEditorState> = {
  '\x1b[D': (s) => withBuffer(s, s.buffer, s.cursor - 1),
  '\x1b[C': (s) => withBuffer(s, s.buffer, s.cursor + 1),
  '\x1b[H': (s) => withBuffer(s, s.buffer, 0),
  '\x1bOH': (s) => withBuffer(s, s.buffer, 0),
  '\x01': (s) => withBuffer(s, s.buffer, 0),
  '\x1b[F': (s) => withBuffer(s, s.buffer),
  '\x1bOF': (s) => withBuffer(s, s.buffer),
  '\x05': (s) => withBuffer(s, s.buffer),
  '\x1b[3~': (s) => withBuffer(s, s.buffer.slice(0, s.cursor) + s.buffer.slice(s.cursor + 1), s.cursor),
  '\x15': (s) => withBuffer(s, ''),
  '\x1b[A': (s) => {
    if (s.historyIndex === 0) return s;
    const draft = s.historyIndex === s.history.length ? s.buffer : s.draft;
    const index = s.historyIndex - 1;
    return { ...withBuffer(s, s.history[index]), historyIndex: index, draft };
  },
  '\x1b[B': (s) => {
    if (s.historyIndex >= s.history.length) return s;
    const index = s.historyIndex + 1;
    const text = index === s.history.length ? s.draft : s.history[index];
    return { ...withBuffer(s, text), historyIndex: index };
  },
};

/** Applies one onData payload (a key, an escape sequence or a paste). */
export function applyInput(state: LineEditorState, data: string): { state: LineEditorState; actions: EditorAction[] } {
  const actions: EditorAction[] = [];
  const key = KEYS[data];
  if (key) return { state: key(state), actions };
  if (data === '\x03') return { state: withBuffer(state, ''), actions: [{ type: 'interrupt' }] };
  if (data === '\x0c') return { state, actions: [{ type: 'clear-screen' }] };
  if (data.startsWith('\x1b')) return { state, actions }; // other escape sequences: ignore

  let s = state;
  // A paste may hold several lines: each line ending is an Enter.
  for (let i = 0; i < data.length; i++) {
    const ch = data[i];
    if (ch === '\r' || ch === '\n') {
      if (ch === '\n' && data[i - 1] === '\r') continue;
      s = submit(s, actions);
    } else if (ch === '\x7f' || ch === '\b') {
      if (s.cursor > 0) s = withBuffer(s, s.buffer.slice(0, s.cursor - 1) + s.buffer.slice(s.cursor), s.cursor - 1);
    } else if (ch >= ' ' || ch === '\t') {
      s = withBuffer(s, s.buffer.slice(0, s.cursor) + ch + s.buffer.slice(s.cursor), s.cursor + 1);
    }
  }
  return { state: s, actions };
}
