import { describe, expect, it } from 'vitest';
import { atHost, bareHost, hostPort, httpUrl, labHost } from './address';

describe('the address recipes name', () => {
  it.each([
    ['127.0.0.1', 2525, '127.0.0.1:2525'],
    ['192.168.1.20', 2121, '192.168.1.20:2121'],
    ['lab.local', 2222, 'lab.local:2222'],
    ['::1', 2525, '[::1]:2525'],
    ['[fd00::5]', 8080, '[fd00::5]:8080'],
  ])('writes %s with port %i as %s', (host, port, expected) => {
    expect(hostPort(host, port)).toBe(expected);
  });

  it('gives ssh an IPv6 address bare, bracketed or not', () => {
    expect(bareHost('[fd00::5]')).toBe('fd00::5');
    expect(bareHost('fd00::5')).toBe('fd00::5');
    expect(bareHost('10.0.0.7')).toBe('10.0.0.7');
  });

  it('moves a URL the lab reports to the address clients reach, keeping port, path and query', () => {
    expect(atHost('http://127.0.0.1:8090', '10.0.0.7')).toBe('http://10.0.0.7:8090');
    expect(atHost('http://127.0.0.1:8080/soap/orders?wsdl', 'fd00::5')).toBe('http://[fd00::5]:8080/soap/orders?wsdl');
    expect(atHost('http://[::1]:8080/soap/calendar', 'lab.local')).toBe('http://lab.local:8080/soap/calendar');
    expect(atHost('http://127.0.0.1/soap', '[::1]')).toBe('http://[::1]/soap');
  });

  it('builds a service URL and falls back to 127.0.0.1 until GET /api/lab answers', () => {
    expect(httpUrl('fd00::5', 8090)).toBe('http://[fd00::5]:8090');
    expect(httpUrl('10.0.0.7', 8080, '/soap/orders')).toBe('http://10.0.0.7:8080/soap/orders');
    expect(labHost(null)).toBe('127.0.0.1');
    expect(labHost({ host: '10.0.0.7' })).toBe('10.0.0.7');
  });
});
