/**
 * The order on screen is the order on the wire: a console that prints a reply (the ZeroMQ REQ
 * console's "Received reply 1 …") must reach the browser after the transcript events of the frames
 * that carried it, even when the reply comes back at once (think time 0) and the events are still
 * waiting for the hub's next batch. The CURVE console runs typed lines once its handshake is done, so
 * its help follows the READY that ended the handshake by the same path (hub.ts sendInOrder).
 */
import { describe, expect, it } from 'vitest';
import { zmqLabForFile } from './zmq-helpers.ts';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import { TestBrowser } from '../helpers/browser.ts';

const lab = zmqLabForFile({ instantReplies: true });

/** Index of the first message passing `test` (-1 if none). */
const indexOf = (messages: ServerMessage[], test: (m: ServerMessage) => boolean) => messages.findIndex(test);

describe('console output and transcript events share one order', () => {
  it('prints each reply after the frame that carried it', async () => {
    const browser = await TestBrowser.open(lab());
    await browser.next((m) => m.type === 'hello');
    browser.send({ type: 'console.open', consoleId: 'req', protocol: 'zmq', kind: 'req' });
    const conn = await browser.consoleOpen('req');
    await browser.outputUntil('req', 0, /help/);
    browser.send({ type: 'console.send', consoleId: 'req', line: 'hello 5' });
    await browser.outputUntil('req', 0, /Received reply 5 /);

    const messages = browser.messages;
    for (let i = 1; i <= 5; i++) {
      const printed = indexOf(messages, (m) => m.type === 'console.output' && m.consoleId === 'req' && m.data.includes(`Received reply ${i} `));
      // The i-th "World from" frame of this connection, in the wire view.
      let seen = 0;
      const carried = indexOf(
        messages,
        (m) => m.type === 'events' && m.events.some((e) => e.type === 'message' && e.message.conn === conn && e.message.view === 'wire' && /"World from/.test(e.message.text) && ++seen === i),
      );
      expect(carried, `reply ${i}'s frame was sent`).toBeGreaterThanOrEqual(0);
      expect(carried, `reply ${i}: frame before the printed line`).toBeLessThan(printed);
    }
    browser.ws.close();
  });

  it('prints the CURVE console\'s help after the READY that ended its handshake, however early it was typed', async () => {
    // Several runs: each opens a fresh CURVE connection and types help in the same breath as console.open.
    for (let run = 1; run <= 5; run++) {
      const browser = await TestBrowser.open(lab());
      await browser.next((m) => m.type === 'hello');
      const id = `curve-${run}`;
      browser.send({ type: 'console.open', consoleId: id, protocol: 'zmq', kind: 'curve' });
      browser.send({ type: 'console.send', consoleId: id, line: 'help' });
      const conn = await browser.consoleOpen(id);
      await browser.outputUntil(id, 0, /wrongkey {4}try a second client/);

      const messages = browser.messages;
      const ready = indexOf(messages, (m) => m.type === 'events' && m.events.some((e) => e.type === 'message' && e.message.conn === conn && e.message.view === 'wire' && e.message.dir === 'server' && e.message.annotation?.key === 'zmtp.curve.READY'));
      const printed = (text: string) => indexOf(messages, (m) => m.type === 'console.output' && m.consoleId === id && m.data.includes(text));
      expect(ready, `run ${run}: the server's READY was sent`).toBeGreaterThanOrEqual(0);
      expect(ready, `run ${run}: READY before "Type help"`).toBeLessThan(printed('Type help for the commands.'));
      expect(ready, `run ${run}: READY before the help text`).toBeLessThan(printed('CURVE REQ console'));
      browser.send({ type: 'console.close', consoleId: id });
      browser.ws.close();
    }
  }, 60_000);
});
