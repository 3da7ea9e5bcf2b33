import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ownerOfRequest, singleSandbox } from './sandboxes.ts';

const request = (headers: Record<string, string | string[]>, url = '/api/x') => ({ headers, url }) as unknown as IncomingMessage;

describe('the sandbox policy', () => {
  const single = singleSandbox('local');

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
