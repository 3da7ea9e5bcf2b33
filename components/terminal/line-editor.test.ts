import { describe, expect, it } from 'vitest';
import { applyInput, initialEditorState, type LineEditorState } from './line-editor';

const type = (state: LineEditorState, ...keys: string[]) => {
  const actions = [];
  for (const key of keys) {
    const result = applyInput(state, key);
    state = result.state;
    actions.push(...result.actions);
  }
  return { state, actions };
};

describe('line editor', () => {
  it('echoes typed text and sends the line on Enter', () => {
    const { state, actions } = type(initialEditorState(), 'E', 'H', 'L', 'O', '\r');
    expect(actions).toEqual([{ type: 'send', line: 'EHLO' }]);
    expect(state.buffer).toBe('');
    expect(state.history).toEqual(['EHLO']);
  });

  it('edits in the middle with arrows, backspace and delete', () => {
    const { state } = type(initialEditorState(), 'HELLO', '\x1b[D', '\x1b[D', '\x7f', 'X', '\x1b[H', '\x1b[3~');
    expect(state.buffer).toBe('EXLO');
    expect(state.cursor).toBe(0);
  });

  it('walks history with up and down and restores the draft', () => {
    let { state } = type(initialEditorState(), 'EHLO a\r', 'NOOP\r', 'dr');
    state = type(state, '\x1b[A').state;
    expect(state.buffer).toBe('NOOP');
    state = type(state, '\x1b[A', '\x1b[A').state;
    expect(state.buffer).toBe('EHLO a');
    state = type(state, '\x1b[B', '\x1b[B').state;
    expect(state.buffer).toBe('dr');
  });

  it('sends each line of a multi-line paste (pipelining), keeping the unfinished tail', () => {
    const { state, actions } = type(initialEditorState(), 'MAIL FROM:<a@lab.test>\r\nRCPT TO:<b@lab.test>\nDA');
    expect(actions).toEqual([
      { type: 'send', line: 'MAIL FROM:<a@lab.test>' },
      { type: 'send', line: 'RCPT TO:<b@lab.test>' },
    ]);
    expect(state.buffer).toBe('DA');
  });

  it('sends empty lines (the blank line between headers and body)', () => {
    expect(type(initialEditorState(), '\r').actions).toEqual([{ type: 'send', line: '' }]);
  });

  it('turns Ctrl+C into an interrupt and ignores unknown escape sequences and control bytes', () => {
    const { state, actions } = type(initialEditorState(), 'abc', '\x1b[15~', '\x02', '\x03');
    expect(actions).toEqual([{ type: 'interrupt' }]);
    expect(state.buffer).toBe('');
  });
});
