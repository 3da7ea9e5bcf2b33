import { describe, expect, it } from 'vitest';
import type { LabMessage } from '@/lib/wire/event.ts';
import { ConsoleTimeline, shownOnScreen } from './console-timeline';

const frame = (seq: number, text: string, view: LabMessage['view'] = 'wire'): LabMessage => ({
  id: `c1-${seq}`,
  conn: 'c1',
  sandbox: 'local',
  protocol: 'zmq',
  seq,
  t: seq,
  dir: 'client',
  view,
  kind: 'frame',
  text,
});

describe('ConsoleTimeline', () => {
  it('interleaves program lines and frames in the order they arrive', () => {
    const t = new ConsoleTimeline('req');
    t.addOutput('Sending request 1 ...\r\n');
    t.addFrames([frame(1, 'MESSAGE Hello')]);
    t.addOutput('Received reply 1 [ World from 5555 ]\r\n');
    expect(t.list().map((m) => m.text)).toEqual(['Sending request 1 ...', 'MESSAGE Hello', 'Received reply 1 [ World from 5555 ]']);
  });

  it('keeps an unfinished line until its end arrives, and strips colour sequences', () => {
    const t = new ConsoleTimeline('req');
    expect(t.addOutput('\x1b[32mSending req')).toBe(false);
    expect(t.addOutput('uest 1 ...\x1b[0m\n')).toBe(true);
    expect(t.list().map((m) => m.text)).toEqual(['Sending request 1 ...']);
    expect(t.list()[0]).toMatchObject({ dir: 'note', view: 'endpoint', kind: 'console' });
  });

  it('adds each frame once, however often the feed is read again', () => {
    const t = new ConsoleTimeline('req');
    const frames = [frame(1, 'greeting'), frame(2, 'READY')];
    expect(t.addFrames(frames)).toBe(true);
    const first = t.list();
    expect(t.addFrames(frames)).toBe(false);
    expect(t.list()).toBe(first);
    t.addFrames([...frames, frame(3, 'Hello')]);
    expect(t.list()).not.toBe(first);
    expect(t.list()).toHaveLength(3);
  });

  it('starts empty again on a new run', () => {
    const t = new ConsoleTimeline('req');
    t.addFrames([frame(1, 'greeting')]);
    t.addOutput('half');
    t.clear();
    expect(t.list()).toEqual([]);
    t.addOutput(' line\n');
    expect(t.list().map((m) => m.text)).toEqual([' line']);
  });
});

describe('shownOnScreen', () => {
  it('shows the program lines in both views, and each frame only in its own view', () => {
    const t = new ConsoleTimeline('curve');
    t.addOutput('CURVE REQ console\r\n');
    t.addFrames([frame(1, 'MESSAGE box', 'wire'), frame(2, 'Hello', 'endpoint')]);
    // The eavesdropper view: help's output (the report saw nothing at all) and the sealed box, not the plaintext.
    expect(shownOnScreen(t.list(), 'wire').map((m) => m.text)).toEqual(['CURVE REQ console', 'MESSAGE box']);
    expect(shownOnScreen(t.list(), 'endpoint').map((m) => m.text)).toEqual(['CURVE REQ console', 'MESSAGE box', 'Hello']);
  });
});
