import { describe, expect, it } from 'vitest';
import type { LabMessage, Protocol } from '../wire/event.ts';
import { actualAnswer, chronological, evaluateLesson, findProof, keyMatches, matchMessage, sameAnswer } from './evaluate.ts';
import type { Lesson, MessageMatch } from './types.ts';

// Messages as the SMTP lab recorded a hand-typed session (GET /api/connections/:id), trimmed to what matters.
let seq = 0;
function msg(conn: string, dir: LabMessage['dir'], kind: string, text: string, key?: string, extra: Partial<LabMessage> = {}): LabMessage {
  seq++;
  return {
    id: `${conn}:${seq}`,
    conn,
    sandbox: 'local',
    protocol: 'smtp',
    seq,
    t: seq * 10,
    dir,
    view: 'wire',
    kind,
    text,
    ...(key ? { annotation: { key, title: key, explain: '' } } : {}),
    ...extra,
  };
}
const code = (value: string) => [{ name: 'code', value }];

const A = 'smtp-aaaa';
const B = 'smtp-bbbb';
const greeting = msg(A, 'server', 'reply', '220 mail.lab.test ESMTP Protocol Lab mail server', 'smtp.reply.220.greeting', { fields: code('220') });
const ehlo = msg(A, 'client', 'command', 'EHLO me.example', 'smtp.cmd.EHLO', { fields: [{ name: 'verb', value: 'EHLO' }, { name: 'domain', value: 'me.example' }] });
const ehloReply = msg(A, 'server', 'reply', '250-mail.lab.test Nice to meet you\n250-PIPELINING\n250 SIZE 65536', 'smtp.reply.250.ehlo', { fields: code('250') });
const mail = msg(A, 'client', 'command', 'MAIL FROM:<student@lab.test>', 'smtp.cmd.MAIL');
const mailOk = msg(A, 'server', 'reply', '250 Accepted', 'smtp.reply.250.mail', { fields: code('250') });
const relay = msg(A, 'client', 'command', 'RCPT TO:<someone@example.com>', 'smtp.cmd.RCPT');
const relayDenied = msg(A, 'server', 'reply', '550 5.7.1 <someone@example.com>: relaying denied', 'smtp.reply.550.relay', {
  fields: [...code('550'), { name: 'enhanced code', value: '5.7.1' }],
});
const data = msg(A, 'client', 'command', 'DATA', 'smtp.cmd.DATA');
const go = msg(A, 'server', 'reply', '354 End data with <CR><LF>.<CR><LF>', 'smtp.reply.354', { fields: code('354') });
const quit = msg(A, 'client', 'command', 'QUIT', 'smtp.cmd.QUIT');
// Another connection (nodemailer after STARTTLS): the endpoint view, and a reply a scripted fault produced.
const tlsData = msg(B, 'client', 'command', 'DATA', 'smtp.cmd.DATA', { view: 'endpoint' });
const refused = msg(B, 'server', 'reply', '554 5.3.0 DATA refused (scripted fault)', 'fault.smtp.data-554', {
  view: 'endpoint',
  fields: code('554'),
  injected: { rule: 'smtp.data-554', title: 'DATA is refused with 554' },
});
const bye = msg(B, 'server', 'reply', '221 Bye', 'smtp.reply.221', { view: 'endpoint', fields: code('221') });
const sshVersion: LabMessage = { ...msg('ssh-cccc', 'client', 'version', 'SSH-2.0-OpenSSH_9.2', 'ssh.version.client'), protocol: 'ssh' };
const all = [greeting, ehlo, ehloReply, mail, mailOk, relay, relayDenied, data, go, sshVersion, tlsData, refused, quit, bye];

describe('matchMessage', () => {
  const yes: [string, MessageMatch, LabMessage][] = [
    ['nothing but the lab', {}, greeting],
    ['dir', { dir: 'server' }, greeting],
    ['view', { view: 'endpoint' }, tlsData],
    ['kind', { kind: 'command' }, ehlo],
    ['an exact key', { key: 'smtp.reply.354' }, go],
    ['a key prefix', { key: 'smtp.reply.5*' }, relayDenied],
    ['a key prefix reaching a context row', { key: 'smtp.reply.250*' }, mailOk],
    ['text, as a case-insensitive regular expression', { text: '^ehlo\\s' }, ehlo],
    ['a field by name', { field: { name: 'enhanced code' } }, relayDenied],
    ['a field value, exact', { field: { name: 'code', value: '354' } }, go],
    ['a field value by a regular expression between slashes', { field: { name: 'enhanced code', value: '/^5\\.7\\./' } }, relayDenied],
    ['the scripted fault that produced it', { injectedBy: 'smtp.data-554' }, refused],
    ['another protocol, named', { protocol: 'ssh', key: 'ssh.version.client' }, sshVersion],
    ['every property at once', { protocol: 'smtp', dir: 'server', view: 'wire', kind: 'reply', key: 'smtp.reply.550*', text: 'relaying', field: { name: 'code', value: '550' } }, relayDenied],
  ];
  it.each(yes)('matches by %s', (_what, match, message) => {
    expect(matchMessage(match, message, 'smtp')).toBe(true);
  });

  const no: [string, MessageMatch, LabMessage, Protocol?][] = [
    ['another protocol than the lesson lab', {}, sshVersion],
    ['the lesson lab when the match names another', { protocol: 'ftp' }, greeting],
    ['the other direction', { dir: 'client' }, greeting],
    ['the other view', { view: 'endpoint' }, greeting],
    ['another kind', { kind: 'reply' }, ehlo],
    ['a key that is only a prefix without *', { key: 'smtp.reply.250' }, mailOk],
    ['a longer key', { key: 'smtp.reply.2500' }, mailOk],
    ['a message without an annotation key', { key: 'smtp.reply.*' }, { ...go, annotation: undefined }],
    ['text that is not there', { text: '^HELO' }, ehlo],
    ['a regular expression that does not compile', { text: '(' }, ehlo],
    ['a missing field', { field: { name: 'enhanced code' } }, go],
    ['a field with another value', { field: { name: 'code', value: '250' } }, go],
    ['a field value that only contains the expected text', { field: { name: 'code', value: '35' } }, go],
    ['a field regular expression that fails', { field: { name: 'enhanced code', value: '/^4\\./' } }, relayDenied],
    ['a message no fault produced', { injectedBy: 'smtp.data-554' }, go],
    ['a message another fault produced', { injectedBy: 'smtp.rcpt-451-second' }, refused],
  ];
  it.each(no)('does not match %s', (_what, match, message, lab = 'smtp') => {
    expect(matchMessage(match, message, lab)).toBe(false);
  });
});

describe('keyMatches', () => {
  it('reads a trailing * as a prefix, anything else exactly', () => {
    expect(keyMatches('smtp.*', 'smtp.cmd.EHLO')).toBe(true);
    expect(keyMatches('smtp.cmd.EHLO', 'smtp.cmd.EHLO')).toBe(true);
    expect(keyMatches('smtp.cmd.EH', 'smtp.cmd.EHLO')).toBe(false);
    expect(keyMatches('smtp.*', undefined)).toBe(false);
  });
});

describe('findProof', () => {
  it('finds the matches in order on one connection, and names the messages', () => {
    const proof = findProof({ all: [{ key: 'smtp.cmd.DATA' }, { key: 'smtp.reply.354' }] }, all, 'smtp');
    expect(proof?.map((m) => m.id)).toEqual([data.id, go.id]);
  });

  it('does not take matches out of order', () => {
    expect(findProof({ all: [{ key: 'smtp.reply.354' }, { key: 'smtp.cmd.DATA' }] }, [greeting, data, go], 'smtp')).toBeNull();
  });

  it('does not join matches from two connections unless the proof allows it', () => {
    // DATA on A, 221 only on B.
    const proof = { all: [{ key: 'smtp.reply.354' }, { key: 'smtp.reply.221' }] };
    expect(findProof(proof, all, 'smtp')).toBeNull();
    expect(findProof({ ...proof, anyConnection: true }, all, 'smtp')?.map((m) => m.id)).toEqual([go.id, bye.id]);
  });

  it('uses each message for one match only', () => {
    expect(findProof({ all: [{ key: 'smtp.cmd.DATA' }, { key: 'smtp.cmd.DATA' }] }, [data], 'smtp')).toBeNull();
    expect(findProof({ all: [{ key: 'smtp.cmd.DATA' }, { key: 'smtp.cmd.DATA' }], anyConnection: true }, [data, tlsData], 'smtp')).toHaveLength(2);
  });

  it('links the messages that satisfied the step together, not earlier look-alikes (the RCPT the 550 answered, the DATA that got the 354)', () => {
    const rcptAlice = msg('smtp-dddd', 'client', 'command', 'RCPT TO:<alice@lab.test>', 'smtp.cmd.RCPT');
    const rcptOk = msg('smtp-dddd', 'server', 'reply', '250 2.1.5 Accepted', 'smtp.reply.250.rcpt', { fields: code('250') });
    const rcptRelay = msg('smtp-dddd', 'client', 'command', 'RCPT TO:<someone@example.com>', 'smtp.cmd.RCPT');
    const denied = msg('smtp-dddd', 'server', 'reply', '550 5.7.1 relaying denied', 'smtp.reply.550.relay', { fields: code('550') });
    const dataRefused = msg('smtp-dddd', 'client', 'command', 'DATA', 'smtp.cmd.DATA');
    const injected554 = msg('smtp-dddd', 'server', 'reply', '554 5.3.0 Transaction failed', 'fault.smtp.data-554', { fields: code('554') });
    const dataAgain = msg('smtp-dddd', 'client', 'command', 'DATA', 'smtp.cmd.DATA');
    const goAhead = msg('smtp-dddd', 'server', 'reply', '354 End data', 'smtp.reply.354', { fields: code('354') });
    const session = [rcptAlice, rcptOk, rcptRelay, denied, dataRefused, injected554, dataAgain, goAhead];
    expect(findProof({ all: [{ dir: 'client', key: 'smtp.cmd.RCPT' }, { dir: 'server', key: 'smtp.reply.550.relay' }] }, session, 'smtp')?.map((m) => m.id)).toEqual([rcptRelay.id, denied.id]);
    expect(findProof({ all: [{ dir: 'client', key: 'smtp.cmd.DATA' }, { dir: 'server', key: 'smtp.reply.354' }] }, session, 'smtp')?.map((m) => m.id)).toEqual([dataAgain.id, goAhead.id]);
    // Still in order, each message used once: the first RCPT pairs with the first 250.
    expect(findProof({ all: [{ key: 'smtp.cmd.RCPT' }, { key: 'smtp.reply.250.rcpt' }, { key: 'smtp.cmd.RCPT' }] }, session, 'smtp')?.map((m) => m.id)).toEqual([rcptAlice.id, rcptOk.id, rcptRelay.id]);
  });

  it('proves nothing with an empty proof or no messages', () => {
    expect(findProof({ all: [] }, all, 'smtp')).toBeNull();
    expect(findProof({ all: [{ key: 'smtp.cmd.QUIT' }] }, [], 'smtp')).toBeNull();
  });
});

describe('held questions', () => {
  const question = {
    prompt: 'What will the server answer to DATA?',
    when: { dir: 'client' as const, text: '^DATA$' },
    answer: { from: { dir: 'server' as const, kind: 'reply' } },
    explain: '354 (RFC 5321 §4.1.1.4).',
  };

  it('reads the real answer from the first reply after the held message, on its connection', () => {
    expect(actualAnswer(question, all, mailOk.id, 'smtp').actual).toBe('354');
  });

  it('looks only after the message that was newest when the answer was given', () => {
    // Given after A's DATA had gone by: the held DATA is B's, answered (by the fault) with 554.
    expect(actualAnswer(question, all, go.id, 'smtp').actual).toBe('554');
    expect(actualAnswer(question, all, bye.id, 'smtp').actual).toBeNull();
  });

  it('reads a named field instead of the first word', () => {
    expect(actualAnswer({ ...question, answer: { from: { dir: 'server' }, field: 'code' } }, all, null, 'smtp').actual).toBe('354');
    expect(actualAnswer({ ...question, answer: { from: { dir: 'server' }, field: 'enhanced code' } }, all, null, 'smtp').actual).toBeNull();
  });

  it('reads the answer from the held message itself when it matches (a held reply: the student reads it before the client does)', () => {
    const heldReply = { dir: 'server' as const, text: '^354 ' };
    expect(actualAnswer({ ...question, when: heldReply, answer: { from: { dir: 'server' }, field: 'code' } }, all, null, 'smtp').actual).toBe('354');
    // A question about the reply after it still skips the held one when `from` does not match it.
    expect(actualAnswer({ ...question, when: heldReply, answer: { from: { dir: 'client' } } }, all, null, 'smtp').actual).not.toBe('354');
  });

  it('finds a held message edited before its release by what was held, and says the answer was to the edit', () => {
    const edited = msg(A, 'client', 'command', 'DATA now', 'smtp.cmd.DATA', { edited: { original: 'DATA' } });
    const refused = msg(A, 'server', 'reply', '501 5.5.4 Syntax: DATA', 'smtp.reply.501', { fields: code('501') });
    expect(actualAnswer(question, [greeting, edited, refused], null, 'smtp')).toEqual({ actual: '501', edited: 'DATA now' });
    expect(actualAnswer(question, [greeting, edited], null, 'smtp')).toEqual({ actual: null, edited: 'DATA now' });
  });

  it('has no answer before the server replied', () => {
    expect(actualAnswer(question, [greeting, data], null, 'smtp').actual).toBeNull();
  });

  it('accepts the code alone or the whole reply line, whatever the case', () => {
    expect(sameAnswer(' 354 ', '354')).toBe(true);
    expect(sameAnswer('354 End data with <CR><LF>.<CR><LF>', '354')).toBe(true);
    expect(sameAnswer('250', '354')).toBe(false);
    expect(sameAnswer('3540', '354')).toBe(false);
    expect(sameAnswer('newkeys', 'NEWKEYS')).toBe(true);
  });
});

const lesson: Lesson = {
  id: 'smtp-test',
  lab: 'smtp',
  title: 'A test lesson',
  summary: 'x',
  minutes: 5,
  order: 1,
  goal: 'x',
  steps: [
    { id: 'hello', title: 'Say EHLO', do: 'x', proof: { all: [{ key: 'smtp.cmd.EHLO' }, { key: 'smtp.reply.250.ehlo' }] }, hints: [], ref: 'RFC 5321 §4.1.1.1' },
    {
      id: 'data',
      title: 'DATA',
      do: 'x',
      proof: { all: [{ key: 'smtp.cmd.DATA' }, { key: 'smtp.reply.354' }] },
      hints: [],
      ref: 'RFC 5321 §4.1.1.4',
      question: { prompt: '?', when: { dir: 'client', text: '^DATA$' }, answer: { from: { dir: 'server', kind: 'reply' } }, explain: 'x' },
      whatIf: { fault: 'smtp.data-554', explain: 'x', proof: { all: [{ injectedBy: 'smtp.data-554' }] } },
    },
    { id: 'quit', title: 'QUIT', do: 'x', proof: { all: [{ key: 'smtp.cmd.QUIT' }, { key: 'smtp.reply.221' }] }, hints: [], ref: 'RFC 5321 §4.1.1.10' },
  ],
};

describe('evaluateLesson', () => {
  it('marks each step done by its own proof, with the proving message ids', () => {
    const status = evaluateLesson(lesson, all, {});
    expect(status.map((s) => [s.step, s.done])).toEqual([
      ['hello', true],
      ['data', true],
      ['quit', false], // QUIT on A, 221 on B: not one connection.
    ]);
    expect(status[0].proof).toEqual([ehlo.id, ehloReply.id]);
    expect(status[2].proof).toEqual([]);
  });

  it('says whether the what-if was seen, only for steps that have one', () => {
    expect(evaluateLesson(lesson, all, {}).map((s) => s.whatIfSeen)).toEqual([undefined, true, undefined]);
    expect(evaluateLesson(lesson, [greeting, data, go], {})[1].whatIfSeen).toBe(false);
  });

  it('checks a held question against the real reply: right, wrong, or not known yet', () => {
    const right = evaluateLesson(lesson, all, { data: { given: '354', after: mailOk.id } })[1].answer;
    expect(right).toEqual({ given: '354', actual: '354', correct: true });
    const wrong = evaluateLesson(lesson, all, { data: { given: '250', after: mailOk.id } })[1].answer;
    expect(wrong).toEqual({ given: '250', actual: '354', correct: false });
    const pending = evaluateLesson(lesson, [greeting, data], { data: { given: '354', after: greeting.id } })[1].answer;
    expect(pending).toEqual({ given: '354', actual: null, correct: null });
  });

  it('ignores answers to steps without a question, and inherited names', () => {
    const status = evaluateLesson(lesson, all, { hello: { given: '250', after: null }, constructor: { given: 'x', after: null } } as never);
    expect(status.every((s) => s.answer === undefined || s.step === 'data')).toBe(true);
    expect(status[0].answer).toBeUndefined();
  });

  it('is done with nothing when nothing happened', () => {
    expect(evaluateLesson(lesson, [], {}).every((s) => !s.done && s.proof.length === 0)).toBe(true);
  });
});

describe('chronological', () => {
  it('orders connections by their start plus each message offset, ties by connection', () => {
    // A starts at 1000 (greeting at 1010, 354 at 1090); B at 900 (its DATA at 1010, the 554 at 1020).
    const start: Record<string, number> = { [A]: 1000, [B]: 900 };
    const ordered = chronological([go, refused, tlsData, greeting], (conn) => start[conn]);
    expect(ordered.map((m) => m.id)).toEqual([greeting.id, tlsData.id, refused.id, go.id]);
  });
});
