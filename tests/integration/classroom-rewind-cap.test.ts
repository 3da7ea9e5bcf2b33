/**
 * A rewind names a message of a recorded session, and the class's players read the stored transcript: a message
 * past what the lab stores of a connection (LAB_TRANSCRIPT_MESSAGES) is refused in words on the teacher's board,
 * instead of every student's player landing elsewhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { noopFlood } from './transcript-flood.ts';

const CAP = 20;
let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab], config: { transcripts: { maxMessages: CAP } } });
});
afterAll(async () => {
  await lab?.stop();
});

/** POST /api/classes… as the teacher's script (the bearer token). */
async function asTeacher<T>(pathname: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${lab.baseUrl}${pathname}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${lab.daemon.teacherToken}`, 'content-type': 'application/json', origin: lab.baseUrl },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('a rewind past what the lab stores of a session', () => {
  it('is refused in words, naming the message and the stored ones; one stored is taken', async () => {
    const closed = nextEvent(lab.daemon.bus, 'connection.close');
    await noopFlood(lab.port('smtp'), 30);
    const conn: ConnectionInfo = (await closed).connection;
    expect(conn.messageCount).toBeGreaterThan(CAP + 5);
    const { body: created } = await asTeacher<{ id: string }>('/api/classes', { name: 'Capped' });

    const refused = await asTeacher<{ detail: string }>(`/api/classes/${created.id}/state`, { rewind: { conn: conn.id, step: CAP + 5 } });
    expect([refused.status, refused.body.detail]).toEqual([
      400,
      `Message #${CAP + 5} of session ${conn.id} was not stored: the lab stores the first ${CAP} messages of a connection (LAB_TRANSCRIPT_MESSAGES), so the class's players cannot show it. Rewind to one of messages 1 to ${CAP}.`,
    ]);
    const taken = await asTeacher<{ rewind: unknown }>(`/api/classes/${created.id}/state`, { rewind: { conn: conn.id, step: CAP } });
    expect([taken.status, taken.body.rewind]).toEqual([200, { conn: conn.id, step: CAP }]);
  });
});
