import { describe, expect, it } from 'vitest';
import { lessonHref, parseLessonLink, proofHref, withLesson } from './lesson-link';

describe('parseLessonLink', () => {
  it.each([
    ['?lesson=smtp-first-mail', { lesson: 'smtp-first-mail', step: null }],
    ['?lesson=smtp-first-mail&step=data', { lesson: 'smtp-first-mail', step: 'data' }],
    ['?conn=smtp-a&msg=smtp-a:3&lesson=smtp-relays&step=quit', { lesson: 'smtp-relays', step: 'quit' }],
    ['?step=data', { lesson: null, step: null }],
    ['?lesson=../etc&step=data', { lesson: null, step: null }],
    ['?lesson=smtp-first-mail&step=<script>', { lesson: 'smtp-first-mail', step: null }],
    ['', { lesson: null, step: null }],
  ])('reads %s', (search, expected) => {
    expect(parseLessonLink(search)).toEqual(expected);
  });

  it('reads what lessonHref writes', () => {
    const href = lessonHref('smtp', 'smtp-first-mail', 'data');
    expect(href).toBe('/smtp?lesson=smtp-first-mail&step=data');
    expect(parseLessonLink(href.slice(href.indexOf('?')))).toEqual({ lesson: 'smtp-first-mail', step: 'data' });
    expect(lessonHref('ftp', 'ftp-two-channels')).toBe('/ftp?lesson=ftp-two-channels');
  });
});

describe('withLesson', () => {
  it('keeps the shared selection and replaces the lesson and step', () => {
    expect(withLesson('?conn=smtp-a&msg=smtp-a%3A3&lesson=old&step=x', { lesson: 'smtp-relays', step: null })).toBe('?conn=smtp-a&msg=smtp-a%3A3&lesson=smtp-relays');
    expect(withLesson('?conn=smtp-a', { lesson: 'smtp-relays', step: 'deliver' })).toBe('?conn=smtp-a&lesson=smtp-relays&step=deliver');
  });

  it('drops the lesson and its step when closed, leaving an empty query empty', () => {
    expect(withLesson('?lesson=smtp-relays&step=deliver', { lesson: null, step: 'deliver' })).toBe('');
    expect(withLesson('?conn=smtp-a&lesson=smtp-relays', { lesson: null, step: null })).toBe('?conn=smtp-a');
  });
});

describe('proofHref', () => {
  it('selects the proving message on its connection with the lesson kept open at its step', () => {
    expect(proofHref('smtp', 'smtp-k3j9x2a1:12', { lesson: 'smtp-first-mail', step: 'quit' })).toBe(
      '/smtp?conn=smtp-k3j9x2a1&msg=smtp-k3j9x2a1%3A12&lesson=smtp-first-mail&step=quit',
    );
  });

  it('opens the player where the lab page reads no link (ZeroMQ, WS-Policy)', () => {
    expect(proofHref('zmq', 'zmq-3SQjKWf0:14', { lesson: 'zmq-patterns', step: 'req-rep' })).toBe('/sessions/zmq-3SQjKWf0?msg=14');
    expect(proofHref('policy', 'soap-Ab_c-1:7', { lesson: 'policy-attachment', step: 'scopes' })).toBe('/sessions/soap-Ab_c-1?msg=7');
  });

  it("opens the player for another lab's connection (the SMTP session through an SSH tunnel)", () => {
    expect(proofHref('ssh', 'smtp-k3j9x2a1:3', { lesson: 'ssh-tunnel', step: 'through' })).toBe('/sessions/smtp-k3j9x2a1?msg=3');
    expect(proofHref('ssh', 'ssh-k3j9x2a1:3', { lesson: 'ssh-tunnel', step: 'through' })).toBe('/ssh?conn=ssh-k3j9x2a1&msg=ssh-k3j9x2a1%3A3&lesson=ssh-tunnel&step=through');
  });
});
