import { describe, expect, it } from 'vitest';
import { receiveEach, type ReceivingSocket } from './receive-each.ts';

/** A socket whose receive() answers from a script: a message, or an error with a code; closed once the script runs out. */
function scripted(script: (Buffer[] | { code: string })[]): ReceivingSocket {
  const socket = {
    closed: false,
    receive(): Promise<Buffer[]> {
      const next = script.shift();
      if (script.length === 0) socket.closed = true;
      if (!next) return Promise.reject(Object.assign(new Error('closed'), { code: 'EAGAIN' }));
      return 'code' in next ? Promise.reject(Object.assign(new Error(next.code), { code: next.code })) : Promise.resolve(next);
    },
  };
  return socket;
}

async function all(socket: ReceivingSocket): Promise<string[]> {
  const seen: string[] = [];
  for await (const frames of receiveEach(socket)) seen.push(frames.map(String).join('|'));
  return seen;
}

describe('receiveEach', () => {
  it('goes on past EAGAIN on an open socket', async () => {
    expect(await all(scripted([[Buffer.from('a')], { code: 'EAGAIN' }, { code: 'EAGAIN' }, [Buffer.from('b'), Buffer.from('c')], []]))).toEqual(['a', 'b|c', '']);
  });

  it('ends when the socket closes, also on the EAGAIN a close causes', async () => {
    expect(await all(scripted([[Buffer.from('a')], { code: 'EAGAIN' }]))).toEqual(['a']);
  });

  it('throws any other error', async () => {
    await expect(all(scripted([[Buffer.from('a')], { code: 'EFSM' }, [Buffer.from('b')]]))).rejects.toThrow('EFSM');
  });
});
