import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { allowedHostNames, hostNameOf, isAllowedHost, refuseRequest } from './host-guard.ts';

describe('host guard', () => {
  it.each([
    ['localhost:3000', 'localhost'],
    ['[::1]:3000', '[::1]'],
    ['Lab.Example.', 'lab.example'],
    ['localhost:3000@evil.example', null],
    ['evil.example/x', null],
    [undefined, null],
  ])('reads the host name of %s as %s', (header, name) => {
    expect(hostNameOf(header)).toBe(name);
  });

  it('accepts loopback names, LAB_HOST and LAB_ALLOWED_HOSTS, never a wildcard bind address', () => {
    const allowed = allowedHostNames({ host: '127.0.0.1', allowedHosts: ['Lab.School.test', '::1', '192.168.1.20', '0.0.0.0'] });
    expect([...allowed].sort()).toEqual(['127.0.0.1', '192.168.1.20', '[::1]', 'lab.school.test', 'localhost']);
    expect(isAllowedHost('0.0.0.0:3000', allowed)).toBe(false);
    expect(isAllowedHost('lab.school.test:3000', allowed)).toBe(true);
    expect(isAllowedHost('evil.example', allowed)).toBe(false);
  });

  it("bound to every interface (a classroom LAN), accepts the machine's own addresses and no other", () => {
    const allowed = allowedHostNames({ host: '0.0.0.0', allowedHosts: [] }, () => ['127.0.0.1', '10.1.2.3', 'fe80::1']);
    expect([...allowed].sort()).toEqual(['10.1.2.3', '127.0.0.1', '[::1]', '[fe80::1]', 'localhost']);
    expect(isAllowedHost('0.0.0.0:3000', allowed)).toBe(false);
    expect(isAllowedHost('10.1.2.4:3000', allowed)).toBe(false);
    // Not bound to every interface: the machine's addresses are not asked for.
    expect([...allowedHostNames({ host: '127.0.0.1', allowedHosts: [] }, () => ['10.1.2.3'])]).not.toContain('10.1.2.3');
  });

  it('adds a non-loopback LAB_HOST address', () => {
    expect(isAllowedHost('10.0.0.5:3000', allowedHostNames({ host: '10.0.0.5', allowedHosts: [] }))).toBe(true);
  });

  it('names the Host it refused as sent, and a missing Host as missing', () => {
    const allowed = allowedHostNames({ host: '127.0.0.1', allowedHosts: [] });
    const refusalFor = (host: string | undefined) => refuseRequest({ method: 'GET', headers: { host } } as IncomingMessage, allowed)?.error;
    expect(refusalFor('evil.example:3000')).toMatch(/"evil\.example" is not one of them/);
    // A malformed Host (a port that runs on into a foreign name) is not "no Host".
    expect(refusalFor('localhost:3000.evil.example')).toMatch(/"localhost:3000\.evil\.example" is not one of them/);
    expect(refusalFor(undefined)).toMatch(/needs a Host header naming one of them/);
    expect(refusalFor(undefined)).not.toMatch(/LAB_ALLOWED_HOSTS/);
  });
});
