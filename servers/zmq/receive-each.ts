/**
 * The lab's receive loop for its bound sockets, which any client can reach. libzmq may report a message
 * ready and then drop it as it is read: a REP socket drops a request that has no envelope delimiter (a
 * ZMTP/1.0 peer sending `01 00 06 00 hello`, or anything that is not ZeroMQ at all). zeromq.js 6 then
 * rejects `receive()` with EAGAIN, and its async iterator ends there, so one stray client would leave the
 * lab's socket deaf until a restart. On a socket still open EAGAIN means "nothing after all": wait for the
 * next message. (libzmq 4.3.5 may still drop the next reply when the stray peer had gone before its request
 * was read: README, "Workarounds for our dependencies".)
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface ReceivingSocket {
  readonly closed: boolean;
  receive(): Promise<Buffer[]>;
}

export async function* receiveEach(socket: ReceivingSocket): AsyncGenerator<Buffer[], void, undefined> {
  while (!socket.closed) {
    let frames: Buffer[];
    try {
      frames = await socket.receive();
    } catch (err) {
      if (socket.closed) return;
      if ((err as { code?: unknown }).code !== 'EAGAIN') throw err;
      // The next receive() polls again; a turn of the event loop first keeps a repeated EAGAIN from spinning it.
      await nextTurn();
      continue;
    }
    yield frames;
  }
}
