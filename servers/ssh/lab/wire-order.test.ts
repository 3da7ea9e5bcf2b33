import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../../../lib/protocols/types.ts';
import { WireOrder } from './wire-order.ts';

const version = (dir: 'client' | 'server'): DissectedMessage => ({ dir, kind: 'version', text: `V ${dir}`, bytes: 0 });
const kexinit = (dir: 'client' | 'server'): DissectedMessage => ({ dir, kind: 'packet', text: `KEXINIT ${dir}`, bytes: 0, annotation: { key: 'ssh.msg.KEXINIT', title: 'KEXINIT', explain: '' } });
const other = (text: string): DissectedMessage => ({ dir: 'note', kind: 'note', text, bytes: 0 });

/** Feeds a script of ['wire' | 'endpoint', message] and returns what the endpoint view recorded, in order. */
function run(script: ['wire' | 'endpoint', DissectedMessage][], drain = false): string[] {
  const out: string[] = [];
  const order = new WireOrder((m) => out.push(m.text));
  for (const [view, m] of script) (view === 'wire' ? order.wire(m) : order.endpoint(m));
  if (drain) order.drain();
  return out;
}

describe('WireOrder', () => {
  it('puts the version lines in the order the tap read them, whatever order the server logged them in', () => {
    expect(
      run([
        ['endpoint', version('server')],
        ['wire', version('client')],
        ['wire', version('server')],
        ['endpoint', version('client')],
      ]),
    ).toEqual(['V client', 'V server']);
    expect(
      run([
        ['endpoint', version('server')],
        ['wire', version('server')],
        ['wire', version('client')],
        ['endpoint', version('client')],
      ]),
    ).toEqual(['V server', 'V client']);
  });

  it('puts the KEXINITs in wire order and keeps what follows behind them', () => {
    expect(
      run([
        ['wire', kexinit('client')],
        ['endpoint', kexinit('server')],
        ['endpoint', kexinit('client')],
        ['endpoint', other('Chosen …')],
        ['wire', kexinit('server')],
      ]),
    ).toEqual(['KEXINIT client', 'KEXINIT server', 'Chosen …']);
  });

  it('does not hold a re-key KEXINIT (encrypted, never on the wire view)', () => {
    const first: ['wire' | 'endpoint', DissectedMessage][] = [
      ['wire', kexinit('client')],
      ['wire', kexinit('server')],
      ['endpoint', kexinit('server')],
      ['endpoint', kexinit('client')],
    ];
    expect(run([...first, ['endpoint', kexinit('server')], ['endpoint', other('after')]])).toEqual(['KEXINIT client', 'KEXINIT server', 'KEXINIT server', 'after']);
  });

  it('releases everything held when the connection ends without the wire catching up', () => {
    expect(run([['endpoint', version('server')], ['endpoint', other('closed')]], true)).toEqual(['V server', 'closed']);
  });
});
