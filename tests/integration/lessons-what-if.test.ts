/**
 * A lesson's what-if belongs to the lesson: opening another lesson, closing it (leave) or starting it
 * over disarms what it armed, so it never answers a later, unrelated exchange; what the Faults menu
 * armed stays. Every change of what is armed reaches the sandbox's pages as a `faults` event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultsReply } from '../../lib/http/fault-contracts.ts';
import type { DisarmedReply } from '../../lib/http/lesson-contracts.ts';
import type { SandboxPolicy } from '../../servers/daemon/sandboxes.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';

/** API calls name their sandbox in x-test-sandbox (default 'local'); every external client lands in 'local'. */
const policy: SandboxPolicy = {
  ofRequest: (req) => {
    const named = req.headers['x-test-sandbox'];
    return typeof named === 'string' ? named : 'local';
  },
  ofConnection: (socket) => socket.own?.sandbox ?? 'local',
  clientSandboxOf: () => 'local',
};

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab], sandboxes: policy });
});
afterAll(async () => {
  await lab?.stop();
});

/** A POST in a sandbox: the status and the parsed body. */
async function post<T>(pathname: string, body?: unknown, sandbox = 'local'): Promise<{ status: number; body: T & { error?: string } }> {
  const res = await fetch(lab.baseUrl + pathname, {
    method: 'POST',
    headers: { 'x-test-sandbox': sandbox, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T & { error?: string } };
}

const RELAYS = 'smtp-relays';
const RULE = 'smtp.rcpt-451-second';
const armWhatIf = (lesson = RELAYS, rule = RULE, sandbox = 'local') => post<FaultsReply>('/api/faults', { rule, enabled: true, times: 1, lesson }, sandbox);
const armed = async (sandbox = 'local') => (await (await fetch(`${lab.baseUrl}/api/faults`, { headers: { 'x-test-sandbox': sandbox } })).json()) as FaultsReply;

/** Two recipients in one transaction by a raw client: the replies to both RCPTs. */
async function twoRecipients(): Promise<string[]> {
  const client = await LineClient.connect(lab.port('smtp'));
  await client.waitFor(/^220 .*\r\n/m);
  await client.command('EHLO what-if.example');
  await client.command('MAIL FROM:<student@lab.test>');
  const replies = [await client.command('RCPT TO:<alice@lab.test>'), await client.command('RCPT TO:<bob@lab.test>')];
  await client.command('QUIT');
  return replies;
}

describe("a lesson's what-if", () => {
  it('is armed for its lesson and told to the sandbox\'s pages; a lesson without that what-if, or no lesson, is refused in words', async () => {
    const told = nextEvent(lab.daemon.bus, 'faults', (e) => e.sandbox === 'local');
    const reply = await armWhatIf();
    expect(reply.status).toBe(200);
    expect(reply.body.armed).toMatchObject([{ rule: RULE, lesson: RELAYS, remaining: 1 }]);
    expect((await told).armed).toMatchObject([{ rule: RULE, lesson: RELAYS }]);

    expect(await armWhatIf('smtp-first-mail')).toMatchObject({ status: 400, body: { error: 'The lesson smtp-first-mail has no what-if with the fault smtp.rcpt-451-second.' } });
    expect(await armWhatIf('no-such-lesson')).toMatchObject({ status: 404, body: { error: 'No lesson no-such-lesson.' } });
    expect(await armWhatIf('../etc')).toMatchObject({ status: 400 });
    expect(await post('/api/lessons/no-such-lesson/open')).toMatchObject({ status: 404 });
  });

  it('is disarmed when another lesson is opened, which says what it disarmed; the next exchange is the server\'s own', async () => {
    await armWhatIf();
    // Opening the lesson that armed it (a reload) keeps it.
    expect((await post<DisarmedReply>(`/api/lessons/${RELAYS}/open`)).body.disarmed).toEqual([]);
    expect((await armed()).armed).toHaveLength(1);

    const opened = await post<DisarmedReply>('/api/lessons/smtp-first-mail/open');
    expect(opened.body.disarmed).toEqual([{ rule: RULE, title: expect.stringContaining('451'), lesson: RELAYS, lessonTitle: 'Relays and 550 5.7.1' }]);
    expect((await armed()).armed).toEqual([]);
    expect(await twoRecipients()).toEqual([expect.stringMatching(/^250 2\.1\.5 /), expect.stringMatching(/^250 2\.1\.5 /)]);
  });

  it('is disarmed when its lesson is left or started over; a rule armed in the Faults menu stays, and so does another sandbox\'s', async () => {
    await armWhatIf();
    await armWhatIf(RELAYS, RULE, 'other');
    expect((await post<DisarmedReply>(`/api/lessons/${RELAYS}/leave`)).body.disarmed).toMatchObject([{ rule: RULE }]);
    expect(await twoRecipients()).toEqual([expect.stringMatching(/^250 /), expect.stringMatching(/^250 /)]);
    expect((await armed('other')).armed).toMatchObject([{ rule: RULE, lesson: RELAYS }]);

    await armWhatIf();
    await post('/api/faults', { rule: 'smtp.data-554', enabled: true, times: 1 });
    expect((await post(`/api/lessons/${RELAYS}/start`)).status).toBe(200);
    expect((await armed()).armed).toMatchObject([{ rule: 'smtp.data-554' }]);
    expect((await armed()).armed[0]?.lesson).toBeUndefined();
    // Leaving or opening lessons never touches it either: the student armed it by hand.
    await post(`/api/lessons/${RELAYS}/leave`);
    await post('/api/lessons/smtp-first-mail/open');
    expect((await armed()).armed).toHaveLength(1);
    await post('/api/faults', { rule: 'smtp.data-554', enabled: false });
  });

  it('still fires when the student stays in the lesson (armed once, then the server\'s own again)', async () => {
    await armWhatIf();
    expect(await twoRecipients()).toEqual([expect.stringMatching(/^250 /), expect.stringMatching(/^451 4\.3\.0 /)]);
    expect((await armed()).armed).toEqual([]);
  });
});
