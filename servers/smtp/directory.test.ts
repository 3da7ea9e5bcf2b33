import { describe, expect, it } from 'vitest';
import { checkRecipient } from './directory.ts';
import { labDirectory } from './directory-replies.ts';

describe('the lab mail directory', () => {
  it.each([
    ['alice@lab.test', true],
    ['Alice@LAB.TEST', true],
    ['bob@localhost', true],
    ['alice+news@lab.test', true],
    ['class@lab.test', true],
    ['postmaster@lab.test', true],
    ['"alice"@lab.test', true], // RFC 5321 §4.1.2: all quoted forms are equivalent
    ['"al\\ice"@lab.test', true],
    ['Postmaster', true], // RFC 5321 §4.5.1: without a domain, and in any case
    ['POSTMASTER', true],
  ])('accepts %s', (address, ok) => {
    expect(checkRecipient(address).ok).toBe(ok);
  });

  it.each([
    ['nobody@lab.test', '550', '5.1.1'],
    ['constructor@lab.test', '550', '5.1.1'],
    ['__proto__@lab.test', '550', '5.1.1'],
    ['alice', '501', '5.1.3'],
    ['someone@example.com', '550', '5.7.1'],
    ['user%example.com@lab.test', '550', '5.7.1'],
    ['example.com!user@lab.test', '550', '5.7.1'],
    ['user@example.com@lab.test', '550', '5.7.1'],
    ['@[127.0.0.1]:user@example.com', '550', '5.7.1'],
    ['"user@example.com"@lab.test', '550', '5.7.1'],
    ['"@example.com:user"@lab.test', '550', '5.7.1'],
    ['"user%example.com"@lab.test', '550', '5.7.1'],
    ['"alice"@example.com', '550', '5.7.1'],
    ['"nobody"@lab.test', '550', '5.1.1'],
    ['"a\\"b"@lab.test', '550', '5.1.1'],
    ['"alice@lab.test', '501', '5.1.3'],
  ])('refuses %s with %s %s', (address, code, enhanced) => {
    const verdict = checkRecipient(address);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(String(verdict.refusal.code)).toBe(code);
      expect(verdict.refusal.text.startsWith(enhanced)).toBe(true);
    }
  });

  it.each([
    ['alice@lab.test', null, 'alice@lab.test'],
    ['Bob@LOCALHOST', null, 'bob@lab.test'],
    ['alice@k3xm9p.lab.test', 'k3xm9p', 'alice@k3xm9p.lab.test'],
    ['Alice+News@K3XM9P.Lab.Test', 'k3xm9p', 'alice+news@k3xm9p.lab.test'],
    ['Postmaster', null, 'postmaster@lab.test'],
    ['"Alice"@LAB.TEST', null, 'alice@lab.test'],
    ['"a\\"b"@k3xm9p.lab.test', 'k3xm9p', '"a\\"b"@k3xm9p.lab.test'],
  ])('reads the sandbox %s names (%s) and stores it as %s', (address, sandbox, canonical) => {
    expect(checkRecipient(address)).toMatchObject({ ok: true, sandbox, canonical });
  });

  it.each(['alice@a.b.lab.test', 'alice@-x.lab.test', 'alice@k3xm9p.lab.test.example.com', 'alice@lab.test.example.com'])(
    'counts %s as somebody else\'s domain (relaying denied)',
    (address) => {
      const verdict = checkRecipient(address);
      expect(verdict.ok ? null : verdict.refusal.text).toMatch(/^5\.7\.1 .*relaying denied$/);
    },
  );

  it('takes mail for any name at a sandbox domain (a catch-all), and only known ones at lab.test', () => {
    expect(checkRecipient('made-up.name@k3xm9p.lab.test')).toMatchObject({ ok: true, sandbox: 'k3xm9p', canonical: 'made-up.name@k3xm9p.lab.test' });
    expect(checkRecipient('constructor@k3xm9p.lab.test')).toMatchObject({ ok: true, isList: false });
    expect(checkRecipient('class@k3xm9p.lab.test')).toMatchObject({ ok: true, isList: true, sandbox: 'k3xm9p' });
    expect(checkRecipient('made-up.name@lab.test')).toMatchObject({ ok: false, refusal: { code: 550 } });
    expect(checkRecipient('user%example.com@k3xm9p.lab.test')).toMatchObject({ ok: false, refusal: { code: 550 } });
  });

  it('answers VRFY and EXPN as RFC 5321 §3.5 shows', () => {
    expect(labDirectory.verify('<alice@lab.test>')).toEqual({ code: 250, lines: ['2.1.5 Alice Example <alice@lab.test>'] });
    expect(labDirectory.verify('nobody').code).toBe(550);
    expect(labDirectory.verify('class').lines[0]).toMatch(/EXPN/);
    expect(labDirectory.verify('x@example.com').code).toBe(551);
    expect(labDirectory.expand('class').lines).toHaveLength(4);
    expect(labDirectory.expand('alice').code).toBe(550);
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect(labDirectory.verify(name).code).toBe(550);
      expect(labDirectory.expand(name).code).toBe(550);
    }
  });
});
