import type { IncomingMessage } from 'node:http';
import type { AuthContext } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../ssh/auth.ts';
import { ownerOfRequest, singleSandbox, sshUserStays, type SandboxPolicy } from './sandboxes.ts';

const request = (headers: Record<string, string | string[]>, url = '/api/x') => ({ headers, url }) as unknown as IncomingMessage;

describe('the sandbox policy', () => {
  const single = singleSandbox('local');

  it('keeps the accept-time sandbox when an SSH user authenticates (one sandbox)', () => {
    expect(single.ofSshUser('student', { sandbox: 'local' })).toBe('local');
    expect(single.ofSshUser('student', { sandbox: 'console-of-b', browser: 'browser-b' })).toBe('console-of-b');
    expect(sshUserStays(single, 'student', { owner: { sandbox: 'local' } })).toBe(true);
  });

  it('refuses a login the policy would move to another sandbox, or cannot decide', () => {
    const moving: SandboxPolicy = { ...single, ofSshUser: (user) => `class-${user}` };
    const failing: SandboxPolicy = {
      ...single,
      ofSshUser: () => {
        throw new Error('no such class');
      },
    };
    expect(sshUserStays(moving, 'alice', { owner: { sandbox: 'local' } })).toBe(false);
    expect(sshUserStays(failing, 'alice', { owner: { sandbox: 'local' } })).toBe(false);
    expect(sshUserStays(single, 'alice', undefined)).toBe(false);
  });

  it("files a request's connection in its sandbox, as the browser its header names", () => {
    expect(ownerOfRequest(single, request({}))).toEqual({ sandbox: 'local' });
    expect(ownerOfRequest(single, request({ 'x-lab-browser': 'browser-AbC_9-' }))).toEqual({ sandbox: 'local', browser: 'browser-AbC_9-' });
    expect(() => ownerOfRequest(single, request({ 'x-lab-browser': 'a b' }))).toThrow(/x-lab-browser/);
    expect(() => ownerOfRequest(single, request({ 'x-lab-browser': 'x'.repeat(65) }))).toThrow(/x-lab-browser/);
  });

  it('reads the browser of a plain link (a download) from its query, checked like the header', () => {
    expect(ownerOfRequest(single, request({}, '/api/ssh/files/download?path=%2Fa&browser=browser-7'))).toEqual({ sandbox: 'local', browser: 'browser-7' });
    expect(() => ownerOfRequest(single, request({}, '/api/ftp/download?name=a&browser=%3Cscript%3E'))).toThrow(/x-lab-browser/);
    // The header wins over the query when both are sent.
    expect(ownerOfRequest(single, request({ 'x-lab-browser': 'browser-h' }, '/d?browser=browser-q'))).toEqual({ sandbox: 'local', browser: 'browser-h' });
  });
});

describe('SSH authentication asks the policy', () => {
  const credentials = { user: 'student', password: 'pw' };
  const passwordAttempt = () => {
    const answers: string[] = [];
    const ctx = { method: 'password', username: 'student', password: 'pw', accept: () => answers.push('accept'), reject: () => answers.push('reject') };
    return { ctx: ctx as unknown as AuthContext, answers };
  };

  it('accepts the right password when the user stays in its sandbox', () => {
    const { ctx, answers } = passwordAttempt();
    expect(authenticate(ctx, credentials, () => [], () => true).outcome).toBe('success');
    expect(answers).toEqual(['accept']);
  });

  it('refuses the right password when the policy says no', () => {
    const { ctx, answers } = passwordAttempt();
    const asked: string[] = [];
    expect(authenticate(ctx, credentials, () => [], (user) => (asked.push(user), false)).outcome).toBe('failure');
    expect(asked).toEqual(['student']);
    expect(answers).toEqual(['reject']);
  });
});
