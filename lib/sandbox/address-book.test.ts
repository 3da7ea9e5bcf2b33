import { describe, expect, it } from 'vitest';
import { ADDRESS_TRUST_MS, ClientAddressBook } from './address-book.ts';

describe('ClientAddressBook', () => {
  it("answers the one sandbox a machine's browser is in, however the address is spelled", () => {
    const book = new ClientAddressBook();
    expect(book.sandboxOf('192.0.2.7')).toBeNull();
    book.saw('::ffff:192.0.2.7', 'abc234');
    expect(book.sandboxOf('192.0.2.7')).toBe('abc234');
    expect(book.sandboxOf('192.0.2.8')).toBeNull();
  });

  it('answers none for a machine two sandboxes used lately, and the one left after the other aged out', () => {
    const clock = { now: 0 };
    const book = new ClientAddressBook(() => clock.now);
    book.saw('192.0.2.7', 'abc234');
    clock.now = ADDRESS_TRUST_MS / 2;
    book.saw('192.0.2.7', 'def567');
    expect(book.sandboxOf('192.0.2.7')).toBeNull();
    clock.now = ADDRESS_TRUST_MS + 1;
    expect(book.sandboxOf('192.0.2.7')).toBe('def567');
    clock.now = 2 * ADDRESS_TRUST_MS;
    expect(book.sandboxOf('192.0.2.7')).toBeNull();
  });

  it('forgets a sandbox that expired', () => {
    const book = new ClientAddressBook();
    book.saw('192.0.2.7', 'abc234');
    book.forget('abc234');
    expect(book.sandboxOf('192.0.2.7')).toBeNull();
  });
});
