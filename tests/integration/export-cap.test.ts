/**
 * LAB_CAPTURE_BYTES: past the cap a connection's capture stops (both directions counted together);
 * the transcript goes on, the exports say where the capture was cut, and the bytes view says why a
 * later message has no bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { decodeAs, download, smtpSession, transcript, tshark, wiresharkTool } from './export-helpers.ts';

const CAP = 200;
let lab: TestLab;
let conn: string;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab], config: { captureBytes: CAP } });
  conn = await smtpSession(lab);
});
afterAll(async () => {
  await lab?.stop();
});

describe(`a capture capped at ${CAP} bytes`, () => {
  it('keeps the whole transcript and exactly the first bytes, and every export says where it stopped', async () => {
    const { messages } = await transcript(lab, conn);
    expect(messages.some((m) => m.text === 'QUIT')).toBe(true);

    const json = JSON.parse((await download(lab, `/api/connections/${conn}/export?format=json`)).body.toString()) as { connections: { chunks: { data: string }[]; captureTruncatedAt: number }[] };
    expect(json.connections[0].captureTruncatedAt).toBe(CAP);
    expect(json.connections[0].chunks.reduce((sum, c) => sum + Buffer.from(c.data, 'base64').length, 0)).toBe(CAP);

    expect((await download(lab, `/api/connections/${conn}/export?format=text`)).body.toString()).toContain(`capture truncated at ${CAP} bytes`);

    const pcapng = (await download(lab, `/api/connections/${conn}/export?format=pcapng`)).body;
    expect((await wiresharkTool('capinfos', pcapng, ['-k'])).join('\n')).toContain(`capture truncated at ${CAP} bytes`);
    // What was captured is still a clean TCP stream.
    expect(await tshark(pcapng, [...decodeAs(lab.port('smtp'), 'smtp'), '-Y', 'tcp.analysis.flags'])).toEqual([]);
  });

  it('answers the bytes of a message past the cap with 404 in words', async () => {
    const { messages } = await transcript(lab, conn);
    const quit = messages.find((m) => m.text === 'QUIT')!;
    const res = await fetch(`${lab.baseUrl}/api/connections/${conn}/messages/${quit.seq}/bytes`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(new RegExp(`stopped at ${CAP} bytes \\(LAB_CAPTURE_BYTES\\), before message ${quit.seq}`));
  });
});
