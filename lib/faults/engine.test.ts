import { describe, expect, it } from 'vitest';
import { FaultEngine } from './engine.ts';

describe('fault engine', () => {
  it('fires an armed rule for its sandbox only, and disarms itself after `times` occurrences', () => {
    const engine = new FaultEngine(undefined, () => 1);
    const changes: string[] = [];
    engine.onChange((sandbox) => changes.push(sandbox));
    expect(engine.arm('a', { rule: 'smtp.data-554', times: 2 })).toMatchObject({ rule: 'smtp.data-554', remaining: 2, scope: { kind: 'sandbox' } });
    expect(engine.fire('smtp.data-554', { sandbox: 'b', conn: 'smtp-1' })).toBeUndefined();
    expect(engine.fire('smtp.data-554', { sandbox: 'a', conn: 'smtp-1' })?.remaining).toBe(2);
    expect(engine.fire('smtp.data-554', { sandbox: 'a', conn: 'smtp-2' })?.remaining).toBe(1);
    expect(engine.fire('smtp.data-554', { sandbox: 'a', conn: 'smtp-3' })).toBeUndefined();
    expect(engine.armed('a')).toEqual([]);
    expect(changes).toEqual(['a', 'a', 'a']);
  });

  it("disarms the what-ifs of the lessons asked for, and keeps what the Faults menu armed", () => {
    const engine = new FaultEngine();
    engine.arm('a', { rule: 'smtp.rcpt-451-second', times: 1, lesson: 'smtp-relays' });
    engine.arm('a', { rule: 'smtp.data-554', times: 1 });
    engine.arm('b', { rule: 'smtp.rcpt-451-second', times: 1, lesson: 'smtp-relays' });
    expect(engine.disarmWhatIfs('a', (lesson) => lesson !== 'smtp-relays')).toEqual([]);
    expect(engine.disarmWhatIfs('a', () => true)).toMatchObject([{ rule: 'smtp.rcpt-451-second', lesson: 'smtp-relays' }]);
    expect(engine.armed('a').map((f) => f.rule)).toEqual(['smtp.data-554']);
    // Another sandbox's what-if is its own.
    expect(engine.armed('b')).toHaveLength(1);
  });

  it('a connection scope covers that connection and its secondary connections, nothing else', () => {
    const engine = new FaultEngine();
    engine.arm('a', { rule: 'ftp.data-drop', scope: { kind: 'connection', conn: 'ftp-ctl' } });
    expect(engine.peek('ftp.data-drop', { sandbox: 'a', conn: 'ftp-data', parent: 'ftp-ctl' })?.param).toBe(1000);
    expect(engine.peek('ftp.data-drop', { sandbox: 'a', conn: 'ftp-ctl' })).toBeDefined();
    expect(engine.peek('ftp.data-drop', { sandbox: 'a', conn: 'ftp-other' })).toBeUndefined();
    expect(engine.anyArmed(['ftp.data-drop', 'ftp.pasv-unreachable'], { sandbox: 'a', conn: 'ftp-other', parent: 'ftp-x' })).toBe(false);
  });

  it('refuses an unknown rule, a bad param, and a server rule no running lab carries out; tells the lab on arm and disarm', () => {
    const engine = new FaultEngine();
    expect(engine.arm('a', { rule: 'nope' })).toBe('No fault rule nope.');
    expect(engine.arm('a', { rule: 'ftp.data-drop', param: 0 })).toBe('bytes must be a whole number from 1 to 1000000000.');
    expect(engine.arm('a', { rule: 'soap.receiver-fault' })).toMatch(/not running/);
    const seen: string[] = [];
    engine.registerActions('soap.receiver-fault', { armed: (f) => void seen.push(`arm ${f.sandbox}`), disarmed: (f) => seen.push(`disarm ${f.sandbox}`) });
    expect(typeof engine.arm('a', { rule: 'soap.receiver-fault', times: 1 })).toBe('object');
    engine.fire('soap.receiver-fault', { sandbox: 'a' });
    expect(seen).toEqual(['arm a', 'disarm a']);
  });
});

describe('fault engine forget', () => {
  it("disarms every rule of the forgotten sandbox only, telling the lab, and keeps the others' armings", () => {
    const engine = new FaultEngine();
    const disarmed: string[] = [];
    engine.registerActions('soap.receiver-fault', { disarmed: (f) => void disarmed.push(f.sandbox) });
    for (const sandbox of ['gone', 'kept']) {
      engine.arm(sandbox, { rule: 'soap.receiver-fault' });
      engine.arm(sandbox, { rule: 'smtp.data-554' });
    }
    engine.forget('gone');
    expect(engine.armed('gone')).toEqual([]);
    expect(engine.peek('smtp.data-554', { sandbox: 'gone' })).toBeUndefined();
    expect(engine.armed('kept').map((f) => f.rule).sort()).toEqual(['smtp.data-554', 'soap.receiver-fault']);
    expect(disarmed).toEqual(['gone']);
  });
});
