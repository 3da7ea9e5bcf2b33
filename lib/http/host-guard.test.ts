import { describe, expect, it } from 'vitest';
import { allowedHostNames, hostNameOf, isAllowedHost } from './host-guard.ts';

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
    const allowed = allowedHostNames({ host: '0.0.0.0', allowedHosts: ['Lab.School.test', '::1', '192.168.1.20'] });
    expect([...allowed].sort()).toEqual(['127.0.0.1', '192.168.1.20', '[::1]', 'lab.school.test', 'localhost']);
    expect(isAllowedHost('0.0.0.0:3000', allowed)).toBe(false);
    expect(isAllowedHost('lab.school.test:3000', allowed)).toBe(true);
    expect(isAllowedHost('evil.example', allowed)).toBe(false);
  });

  it('adds a non-loopback LAB_HOST address', () => {
    expect(isAllowedHost('10.0.0.5:3000', allowedHostNames({ host: '10.0.0.5', allowedHosts: [] }))).toBe(true);
  });
});
