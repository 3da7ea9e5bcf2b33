/**
 * Once students have sandboxes, an external connection that ends without a login is filed in the
 * default sandbox, unclaimed, without its bytes (they could hold a student's mistyped password). Its
 * exports and its bytes view must say so: a pcapng of just a TCP handshake and a FIN, with no word why,
 * looks like a broken capture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPcapng } from '../../lib/capture/pcapng.ts';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { openStudent } from '../helpers/student.ts';
import { download } from './export-helpers.ts';

let lab: TestLab;
let unclaimed: ConnectionInfo;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
  await openStudent(lab);
  // A client that says EHLO and QUIT: no AUTH, no recipient, nothing names a sandbox.
  const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'smtp');
  const client = await LineClient.connect(lab.port('smtp'));
  await client.waitFor(/^220 .*\r\n/m);
  await client.command('EHLO nobody.example');
  await client.command('QUIT');
  await client.whenClosed();
  unclaimed = (await closed).connection;
  expect(unclaimed).toMatchObject({ sandbox: 'local', unclaimed: true });
}, 30_000);
afterAll(async () => {
  await lab?.stop();
});

const notKept = /bytes not kept: it never logged in to a sandbox/;

describe("an unclaimed connection's exports", () => {
  it("say in the pcapng's comment for it that its bytes were not kept, and why", async () => {
    const { body } = await download(lab, `/api/connections/${unclaimed.id}/export?format=pcapng`);
    const file = readPcapng(body);
    const comment = file.comments.find((c) => c.includes(unclaimed.id));
    expect(comment).toMatch(notKept);
    // No data: only the synthesised handshake and close (IPv4 header, TCP header with its options, no payload).
    const payload = (ip: Uint8Array) => ip.length - (ip[0] & 0x0f) * 4 - (ip[(ip[0] & 0x0f) * 4 + 12] >> 4) * 4;
    expect(file.packets.map((p) => payload(p.data))).toEqual(file.packets.map(() => 0));
  });

  it('say it under its heading in the handout', async () => {
    const { body } = await download(lab, `/api/connections/${unclaimed.id}/export?format=text`);
    expect(body.toString().split('\n').slice(0, 4).join('\n')).toMatch(notKept);
  });
});

describe("an unclaimed connection's bytes view", () => {
  it('says its bytes were not kept and why, not that it was recorded before the lab kept bytes', async () => {
    const res = await fetch(`${lab.baseUrl}/api/connections/${unclaimed.id}/messages/1/bytes`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      `No bytes of ${unclaimed.id} were kept: it never logged in to a sandbox, and they could hold a mistyped password of a student.`,
    );
  });
});
