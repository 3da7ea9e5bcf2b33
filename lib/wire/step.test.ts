import { describe, expect, it } from 'vitest';
import type { StepState } from '../bus/events.ts';
import { StepController, type StepHolder } from './step.ts';

const api: StepHolder = { id: 'http', sandbox: 'local' };
const browserA: StepHolder = { id: 'browser-a', sandbox: 'local' };
const browserB: StepHolder = { id: 'browser-b', sandbox: 'local' };

describe('step controller', () => {
  it('holds messages in order, releases one per step, and lets notes behind them through', () => {
    const states: StepState[] = [];
    const released: string[] = [];
    const step = new StepController('smtp', (_h, s) => states.push(s));
    const lane = step.open('c1', { sandbox: 'local' });
    step.set(api, true);
    lane.hold({ bytes: 6, release: () => released.push('NOOP') });
    lane.hold({ bytes: 0, release: () => released.push('note') });
    lane.hold({ bytes: 8, release: () => released.push('250 OK') });
    expect(step.state(api).held).toBe(2);
    expect(released).toEqual([]);
    step.step(api);
    expect(released).toEqual(['NOOP', 'note']);
    expect(step.state(api).held).toBe(1);
    step.set(api, false);
    expect(released).toEqual(['NOOP', 'note', '250 OK']);
    expect(states.at(-1)).toMatchObject({ enabled: false, held: 0 });
  });

  it('turning step mode off releases what it held oldest first across connections', () => {
    const released: string[] = [];
    const step = new StepController('ftp', () => {});
    const control = step.open('control', { sandbox: 'local' });
    const data = step.open('data', { sandbox: 'local' }, 'control');
    step.set(api, true);
    control.hold({ bytes: 5, release: () => released.push('150') });
    data.hold({ bytes: 9, release: () => released.push('listing') });
    control.hold({ bytes: 5, release: () => released.push('226') });
    step.set(api, false);
    expect(released).toEqual(['150', 'listing', '226']);
  });

  it('step() with nothing held reports false', () => {
    const step = new StepController('smtp', () => {});
    step.set(api, true);
    expect(step.step(api)).toBe(false);
  });

  it("forget ends an expired sandbox's step mode (its Play timer too), lets its held bytes through and keeps the others'", () => {
    const released: string[] = [];
    const step = new StepController('smtp', () => {});
    const gone: StepHolder = { id: 'http', sandbox: 'gone' };
    const lane = step.open('c1', { sandbox: 'gone' });
    step.set(gone, true);
    step.play(gone, 10_000);
    step.set(api, true);
    lane.hold({ bytes: 6, release: () => released.push('NOOP') });
    lane.close();
    step.forget('gone');
    expect(step.state(gone)).toMatchObject({ enabled: false, playing: false });
    expect(released).toEqual(['NOOP']);
    expect(step.state(api).enabled).toBe(true);
  });

  it('clamps the play pace and stops playing when step mode ends', () => {
    const step = new StepController('smtp', () => {});
    step.set(api, true);
    step.play(api, 1);
    expect(step.state(api)).toMatchObject({ playing: true, paceMs: 50 });
    step.set(api, false);
    expect(step.state(api).playing).toBe(false);
  });
});

describe('held-message preview', () => {
  it('names the next held message: connection, direction and its first line, cut to fit', () => {
    const step = new StepController('smtp', () => {});
    step.set(api, true);
    const [c0, c1, c2] = ['c0', 'c1', 'c2'].map((conn) => step.open(conn, { sandbox: 'local' }));
    c0.hold({ bytes: 0, release: () => {}, preview: { conn: 'c0', connection: 'x', dir: 'note', text: 'a note' } });
    c1.hold({ bytes: 12, release: () => {}, preview: { conn: 'c1', connection: '127.0.0.1:5000', dir: 'client', text: `MAIL FROM:<${'a'.repeat(100)}@lab.test>\r\nsecond` } });
    c2.hold({ bytes: 8, release: () => {}, preview: { conn: 'c2', connection: 'browser console', dir: 'server', text: '250 OK' } });
    const next = step.state(api).next;
    expect(next).toMatchObject({ conn: 'c1', connection: '127.0.0.1:5000', dir: 'client' });
    expect(next?.text.startsWith('MAIL FROM:<aaa')).toBe(true);
    expect(next?.text.endsWith('…')).toBe(true);
    expect(next?.text.length).toBe(80);
    step.step(api);
    expect(step.state(api).next).toMatchObject({ conn: 'c2', dir: 'server', text: '250 OK' });
    step.step(api);
    expect(step.state(api).next).toBeUndefined();
  });
});

describe('step mode per sandbox and per connection', () => {
  it("holds a browser's own console but never another browser's", () => {
    const step = new StepController('smtp', () => {});
    const consoleA = step.open('a', { sandbox: 'local', browser: 'browser-a' });
    const consoleB = step.open('b', { sandbox: 'local', browser: 'browser-b' });
    step.set(browserA, true, { kind: 'own' });
    expect(consoleA.holding).toBe(true);
    expect(consoleB.holding).toBe(false);
    // The widest scope still leaves the other browser's console alone.
    step.set(browserA, true, { kind: 'sandbox' });
    expect(consoleB.holding).toBe(false);
  });

  it("holds external clients in the holder's sandbox only in the sandbox scope, never another sandbox's", () => {
    const step = new StepController('smtp', () => {});
    const swaks = step.open('ext', { sandbox: 'local' });
    const elsewhere = step.open('ext-y', { sandbox: 'y' });
    step.set(browserA, true, { kind: 'own' });
    expect(swaks.holding).toBe(false);
    step.set(browserA, true, { kind: 'sandbox' });
    expect(swaks.holding).toBe(true);
    expect(elsewhere.holding).toBe(false);
  });

  it('tells whether it holds a connection now, a data connection through its control connection', () => {
    const step = new StepController('ftp', () => {});
    step.open('control', { sandbox: 'local' });
    step.open('data', { sandbox: 'local' }, 'control');
    step.open('other', { sandbox: 'y' });
    expect(step.isHeld('data')).toBe(false);
    step.set(browserA, true, { kind: 'connection', conn: 'control' });
    expect([step.isHeld('control'), step.isHeld('data'), step.isHeld('other'), step.isHeld('gone')]).toEqual([true, true, false, false]);
  });

  it('holds one named connection, and refuses a connection that is not the holder’s to hold', () => {
    const step = new StepController('smtp', () => {});
    const one = step.open('one', { sandbox: 'local' });
    const two = step.open('two', { sandbox: 'local' });
    step.open('b', { sandbox: 'local', browser: 'browser-b' });
    step.open('y', { sandbox: 'y' });
    expect(step.set(browserA, true, { kind: 'connection', conn: 'one' })).toBeNull();
    expect([one.holding, two.holding]).toEqual([true, false]);
    expect(step.state(browserA)).toMatchObject({ enabled: true, scope: 'connection', conn: 'one' });
    expect(step.set(browserA, true, { kind: 'connection', conn: 'b' })).toMatch(/No open SMTP connection b/);
    expect(step.set(browserA, true, { kind: 'connection', conn: 'y' })).toMatch(/in your sandbox/);
  });

  it("steps only the holder's messages and tells only that holder", () => {
    const told: string[] = [];
    const released: string[] = [];
    const step = new StepController('smtp', (holder) => told.push(holder.id));
    const a = step.open('a', { sandbox: 'local', browser: 'browser-a' });
    const b = step.open('b', { sandbox: 'local', browser: 'browser-b' });
    step.set(browserA, true, { kind: 'own' });
    step.set(browserB, true, { kind: 'own' });
    told.length = 0;
    a.hold({ bytes: 4, release: () => released.push('A1') });
    b.hold({ bytes: 4, release: () => released.push('B1') });
    expect(told).toEqual(['browser-a', 'browser-b']);
    expect(step.state(browserA).held).toBe(1);
    step.step(browserA);
    expect(released).toEqual(['A1']);
    expect(step.step(browserA)).toBe(false);
    // B leaving step mode releases B's connection, not A's.
    a.hold({ bytes: 4, release: () => released.push('A2') });
    step.set(browserB, false);
    expect(released).toEqual(['A1', 'B1']);
  });

  it('releases a connection in order once no holder covers it, bytes not yet framed included', () => {
    const released: string[] = [];
    let flushed = 0;
    const step = new StepController('smtp', () => {});
    const lane = step.open('ext', { sandbox: 'local' });
    lane.onFlush(() => flushed++);
    step.set(browserA, true, { kind: 'sandbox' });
    lane.hold({ bytes: 4, release: () => released.push('1') });
    lane.hold({ bytes: 4, release: () => released.push('2') });
    // Narrowing A's scope to its own consoles uncovers the external client: it flows again.
    step.set(browserA, true, { kind: 'own' });
    expect(released).toEqual(['1', '2']);
    expect(flushed).toBe(1);
    expect(lane.holding).toBe(false);
  });

  it('keeps a closed connection’s held messages until they are released', () => {
    const released: string[] = [];
    const step = new StepController('smtp', () => {});
    const lane = step.open('c', { sandbox: 'local' });
    step.set(api, true);
    lane.hold({ bytes: 3, release: () => released.push('221') });
    lane.close();
    expect(step.state(api).held).toBe(1);
    step.step(api);
    expect(released).toEqual(['221']);
    expect(step.state(api).held).toBe(0);
  });

  it('edit and drop act on the holder’s next held message, and refuse in words when they cannot', () => {
    const done: string[] = [];
    const step = new StepController('smtp', () => {});
    const lane = step.open('c1', { sandbox: 'local' });
    expect(step.edit(api, 'NOOP')).toBe('Nothing is held.');
    step.set(api, true);
    lane.hold({ bytes: 5, release: () => done.push('plain') });
    expect(step.edit(api, 'NOOP')).toBe('This message cannot be edited.');
    step.step(api);
    const edits = {
      offer: () => ({ text: 'RSET' }),
      release: (text: string) => (text === 'bad' ? 'refused' : (done.push(`edited ${text}`), null)),
      drop: () => void done.push('dropped'),
    };
    lane.hold({ bytes: 6, release: () => done.push('RSET'), edits });
    lane.hold({ bytes: 6, release: () => done.push('NOOP'), edits });
    expect(step.state(api).next).toBeUndefined();
    expect(step.edit(api, 'bad')).toBe('refused');
    expect(step.edit(api, 'HELP')).toBeNull();
    expect(step.drop(api)).toBeNull();
    expect(done).toEqual(['plain', 'edited HELP', 'dropped']);
    expect(step.state(api).held).toBe(0);
  });
});
