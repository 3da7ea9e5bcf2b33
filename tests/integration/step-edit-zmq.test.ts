/**
 * Hold-edit-release on ZMTP (issue 14 #2): a message frame held at the PAIR tap is edited to a
 * longer body; the lab re-encodes the frame (size, LONG/MORE flags) and the real libzmq PAIR behind
 * the tap receives the edit, which the transcript records with the original.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import { coreContracts } from '../../lib/http/core-contracts.ts';
import { zmqLab } from '../../servers/zmq/lab.ts';
import type { ZmqAppEvent } from '../../servers/zmq/server.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { MessageLog } from './faults-helpers.ts';
import { zmqOf } from './zmq-helpers.ts';

let lab: TestLab;
let log: MessageLog;
beforeAll(async () => {
  lab = await startTestLab({ labs: [zmqLab] });
  log = new MessageLog(lab.daemon.bus);
}, 60_000);
afterAll(async () => {
  log?.dispose();
  await lab?.stop();
});

describe('hold, edit, release on ZMTP', () => {
  it('a held PAIR message frame edited to a 300-byte body reaches libzmq as one valid LONG frame', async () => {
    const received: string[] = [];
    const edit = 'x'.repeat(300);
    let delivered: () => void = () => {};
    const editDelivered = new Promise<void>((resolve) => (delivered = resolve));
    const onApp = (event: ZmqAppEvent) => {
      if (event.socket !== 'pair' || event.type !== 'received') return;
      received.push(event.frames.map((f) => f.toString('utf8')).join(' | '));
      if (received.includes(edit)) delivered();
    };
    zmqOf(lab).appEvents.on('app', onApp);
    const peer = new zmq.Pair({ linger: 0 });
    const handshake = (async () => {
      for await (const event of peer.events) if (event.type === 'handshake') return;
    })();
    peer.connect(`tcp://127.0.0.1:${zmqOf(lab).tapOf.pair.port}`);
    await handshake;

    await lab.api(coreContracts.setStep, { params: { protocol: 'zmq' }, body: { enabled: true } });
    const held = nextEvent(lab.daemon.bus, 'step', (e) => e.holder === 'http' && e.state.next?.editable === true && e.state.next.full === 'Hello');
    await peer.send('Hello');
    await held;
    await lab.api(coreContracts.setStep, { params: { protocol: 'zmq' }, body: { action: 'edit', text: edit } });
    await lab.api(coreContracts.setStep, { params: { protocol: 'zmq' }, body: { enabled: false } });

    const edited = await log.find((m) => m.protocol === 'zmq' && m.edited !== undefined, 'the edited frame');
    expect(edited).toMatchObject({ kind: 'frame', edited: { original: expect.stringContaining('Hello') }, bytes: 309 });
    await editDelivered;
    expect(received).not.toContain('Hello');
    zmqOf(lab).appEvents.off('app', onApp);
    peer.close();
  });
});
