import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { LineClient } from '../helpers/line-client.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

describe('WebSocket hub', () => {
  it('runs a browser console: greeting, EHLO, STARTTLS from the console, then the decrypted endpoint view', async () => {
    const browser = await TestBrowser.open(lab);
    expect((await browser.next((m) => m.type === 'hello')).type).toBe('hello');
    browser.send({ type: 'console.open', consoleId: 'c1', protocol: 'smtp' });
    const conn = await browser.consoleOpen('c1');
    await browser.message(conn, /^220 /);
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'EHLO browser.test' });
    const ehlo = await browser.message(conn, /^250-/);
    expect(ehlo.annotation?.ref).toMatch(/RFC 5321/);

    browser.send({ type: 'console.send', consoleId: 'c1', line: 'STARTTLS' });
    // Only a 220 after the EHLO reply counts: the greeting's 220 must not answer this wait.
    const ready = await browser.message(conn, /^220 /, { view: 'wire' });
    expect(ready.annotation?.key).toBe('smtp.reply.220.starttls');
    // The console wrapped its socket in TLS: the wire now shows records, the server's view goes on.
    await browser.message(conn, /TLS record/i, { view: 'wire' });
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'EHLO again.test' });
    const decrypted = await browser.message(conn, /^250-/, { view: 'endpoint' });
    expect(decrypted.view).toBe('endpoint');
    browser.send({ type: 'console.send', consoleId: 'c1', line: 'QUIT' });
    await browser.message(conn, /^221 /, { view: 'endpoint' });
    await browser.next((m) => m.type === 'console' && m.status.state === 'closed');
    browser.ws.close();
  });

  it('says hello with the clock connections are stamped with, so a page elsewhere can age them', async () => {
    // The monotonic clock a minute behind the system clock (stepped by NTP since the start): hello follows the connections' clock.
    const monotonic = performance.now.bind(performance);
    const stepped = vi.spyOn(performance, 'now').mockImplementation(() => monotonic() - 60_000);
    try {
      const before = performance.timeOrigin + performance.now();
      const browser = await TestBrowser.open(lab);
      const hello = await browser.next((m) => m.type === 'hello');
      const after = performance.timeOrigin + performance.now();
      expect(hello.type === 'hello' && hello.now).toBeGreaterThanOrEqual(Math.floor(before));
      expect(hello.type === 'hello' && hello.now).toBeLessThanOrEqual(after + 1);
      browser.ws.close();
    } finally {
      stepped.mockRestore();
    }
  });

  it('answers malformed and unknown requests with an error message and stays usable', async () => {
    const browser = await TestBrowser.open(lab);
    browser.send('not json');
    expect(await browser.next((m) => m.type === 'error')).toMatchObject({ type: 'error', message: expect.stringMatching(/JSON/) });
    browser.send({ type: 'console.open', consoleId: '../../etc', protocol: 'smtp' });
    browser.send({ type: 'console.open', consoleId: 'x', protocol: 'ftp' });
    await browser.next((m) => m.type === 'error' && /not running/.test(m.message));
    // A console kind the lab does not have is refused in words, not opened as its default console.
    browser.send({ type: 'console.open', consoleId: 'k', protocol: 'smtp', kind: 'pair' });
    await browser.next((m) => m.type === 'error' && /no console called "pair"/.test(m.message));
    browser.send({ type: 'step.set', protocol: 'smtp', enabled: true });
    await browser.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'step' && e.state.enabled));
    browser.send({ type: 'step.set', protocol: 'smtp', enabled: false });
    await browser.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'step' && !e.state.enabled));
    browser.ws.close();
  });

  it('serves the JSON API: health, connections, 404 and 400 with readable errors', async () => {
    const health = await lab.api<{ ok: boolean; servers: { protocol: string; listening: boolean }[] }>('/api/health');
    expect(health.ok).toBe(true);
    expect(health.servers[0]).toMatchObject({ protocol: 'smtp', listening: true });
    const list = await lab.api<{ connections: { protocol: string }[] }>('/api/connections?protocol=smtp&limit=5');
    expect(list.connections.every((c) => c.protocol === 'smtp')).toBe(true);
    await expect(lab.api('/api/connections/nope')).rejects.toThrow(/404/);
    await expect(lab.api('/api/connections?limit=-3')).rejects.toThrow(/400.*limit/);
    await expect(lab.api('/api/nothing-here')).rejects.toThrow(/404/);
  });

  it('pages back through the connections, newest first, from the oldest start a page listed', async () => {
    for (let i = 0; i < 3; i++) {
      const client = await LineClient.connect(lab.port('smtp'));
      await client.waitFor(/^220 /m);
      await client.command('QUIT');
      await client.whenClosed();
    }
    type Listed = { connections: { id: string; startedAt: number }[] };
    const all = (await lab.api<Listed>('/api/connections?protocol=smtp&limit=1000')).connections;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = (await lab.api<Listed>('/api/connections?protocol=smtp&limit=2')).connections;
    const next = (await lab.api<Listed>(`/api/connections?protocol=smtp&limit=2&before=${first[1].startedAt}`)).connections;
    expect([...first, ...next].map((c) => c.id)).toEqual(all.slice(0, 4).map((c) => c.id));
    await expect(lab.api('/api/connections?before=soon')).rejects.toThrow(/400.*before/);
  });
});
