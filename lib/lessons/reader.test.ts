import { describe, expect, it } from 'vitest';
import type { Lesson } from './types.ts';
import { fillForReader, lessonForReader, tokensIn, type LessonReader } from './reader.ts';

const reader: LessonReader = { user: 'k7m2qx', password: 'a1b2c3-d4e5f6', host: '127.0.0.1', ports: { ftp: 2121, ssh: 2222, smtp: 2525 } };

describe('a lesson read by one student', () => {
  it('names their login and the lab ports', () => {
    expect(fillForReader('USER {{user}}', reader)).toBe('USER k7m2qx');
    expect(fillForReader('curl ftp://{{user}}:{{password}}@{{host}}:{{port ftp}}/README.txt', reader)).toBe('curl ftp://k7m2qx:a1b2c3-d4e5f6@127.0.0.1:2121/README.txt');
    expect(fillForReader('a zmq.SUB to port {{port zmq-pub}}, "World from {{port zmq}}"', { ...reader, ports: { zmq: 6555, 'zmq-rep': 6555, 'zmq-pub': 6556 } })).toBe('a zmq.SUB to port 6556, "World from 6555"');
    expect(fillForReader('ssh -N -L 8025:127.0.0.1:{{port smtp}} -p {{port ssh}} {{user}}@{{host}}', { ...reader, ports: { smtp: 3525, ssh: 3222 } })).toBe(
      'ssh -N -L 8025:127.0.0.1:3525 -p 3222 k7m2qx@127.0.0.1',
    );
  });

  it('gives AUTH PLAIN the base64 of NUL user NUL password (RFC 4616 §2)', () => {
    const line = fillForReader('AUTH PLAIN {{auth-plain}}', { ...reader, password: 'pässwörd' });
    const decoded = Buffer.from(line.slice('AUTH PLAIN '.length), 'base64').toString('utf8');
    expect(decoded).toBe('\0k7m2qx\0pässwörd');
  });

  it('leaves JSON braces, unknown tokens and ports of labs not running as written', () => {
    expect(fillForReader(`--data '{"isbn":"9780132126953"}'`, reader)).toBe(`--data '{"isbn":"9780132126953"}'`);
    expect(fillForReader('{{nobody}} {{port gateway}}', reader)).toBe('{{nobody}} {{port gateway}}');
    expect(tokensIn('{{user}}:{{password}} -p {{port ssh}} {x}')).toEqual(['user', 'password', 'port ssh']);
  });

  it('fills instructions, try lines, hints and what-ifs, not titles or proofs', () => {
    const lesson: Lesson = {
      id: 'l',
      lab: 'ftp',
      title: 'As {{user}}',
      summary: 's',
      minutes: 1,
      order: 1,
      goal: 'Log in as {{user}}.',
      steps: [
        {
          id: 'login',
          title: 'Log in as {{user}}',
          do: 'telnet to port {{port ftp}}',
          try: ['USER {{user}}', 'PASS {{password}}'],
          proof: { all: [{ dir: 'client', text: '^USER {{user}}' }] },
          hints: ['{{user}} is your sandbox'],
          ref: 'RFC 959 §4.1.1',
          whatIf: { fault: 'f', explain: 'again as {{user}}', proof: { all: [] } },
        },
      ],
    };
    const read = lessonForReader(lesson, reader);
    expect(read.goal).toBe('Log in as k7m2qx.');
    expect(read.steps[0]).toMatchObject({ title: 'Log in as {{user}}', do: 'telnet to port 2121', try: ['USER k7m2qx', 'PASS a1b2c3-d4e5f6'], hints: ['k7m2qx is your sandbox'], whatIf: { explain: 'again as k7m2qx' } });
    expect(read.steps[0].proof).toBe(lesson.steps[0].proof);
    expect(lesson.steps[0].try).toEqual(['USER {{user}}', 'PASS {{password}}']);
  });
});
