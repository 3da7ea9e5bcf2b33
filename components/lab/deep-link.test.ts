import { describe, expect, it } from 'vitest';
import { deepLinkQuery, parseDeepLink } from './deep-link';

describe('parseDeepLink', () => {
  it.each([
    ['?conn=smtp-k3j9x2a1&msg=smtp-k3j9x2a1:4', { conn: 'smtp-k3j9x2a1', msg: 'smtp-k3j9x2a1:4' }],
    ['?conn=smtp-k3j9x2a1&msg=4', { conn: 'smtp-k3j9x2a1', msg: 'smtp-k3j9x2a1:4' }],
    ['?conn=smtp-k3j9x2a1', { conn: 'smtp-k3j9x2a1', msg: null }],
    ['', { conn: null, msg: null }],
    ['?msg=4', { conn: null, msg: null }],
    ['?conn=../etc&msg=4', { conn: null, msg: null }],
    ['?conn=smtp-a&msg=ftp-b:4', { conn: 'smtp-a', msg: null }],
    ['?conn=smtp-a&msg=<script>', { conn: 'smtp-a', msg: null }],
  ])('reads %s', (search, expected) => {
    expect(parseDeepLink(search)).toEqual(expected);
  });

  it('round-trips what deepLinkQuery writes', () => {
    expect(parseDeepLink(deepLinkQuery('ftp-Ab_9', 'ftp-Ab_9:12'))).toEqual({ conn: 'ftp-Ab_9', msg: 'ftp-Ab_9:12' });
    expect(deepLinkQuery(null, 'x')).toBe('');
  });

  it('keeps an open lesson in the address when a message is selected or cleared', () => {
    const search = '?lesson=smtp-first-mail&step=data&conn=smtp-a&msg=smtp-a%3A2';
    expect(deepLinkQuery('smtp-b', 'smtp-b:7', search)).toBe('?lesson=smtp-first-mail&step=data&conn=smtp-b&msg=smtp-b%3A7');
    expect(deepLinkQuery(null, null, search)).toBe('?lesson=smtp-first-mail&step=data');
  });
});
