import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../servers/daemon/config.ts';
import { startDaemon } from '../../servers/daemon/daemon.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { testConfig } from '../helpers/daemon.ts';

describe('daemon start-up', () => {
  it('refuses a taken port with one line naming the variable to change, and can start again once it is free', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-startup-'));
    const config = testConfig(dataDir);
    const error = await startDaemon({ ...config, smtp: { ...config.smtp, port: taken } }, [smtpLab]).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`SMTP port 127.0.0.1:${taken} is already in use — set SMTP_PORT to another port`);
    // The database was closed again: a second daemon can open the same data dir.
    const daemon = await startDaemon(config, [smtpLab]);
    await daemon.stop();
    blocker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains bad settings one variable per line', () => {
    expect(() => loadConfig({ SMTP_PORT: 'seventy', LAB_SANDBOX: 'Not OK!' })).toThrow(/SMTP_PORT[\s\S]*LAB_SANDBOX|LAB_SANDBOX[\s\S]*SMTP_PORT/);
    expect(() => loadConfig({ FTP_PASV_RANGE: '30010-30000' })).toThrow(/FTP_PASV_RANGE/);
    expect(() => loadConfig({ LAB_DISSECT_THREAD: 'off' })).toThrow(/LAB_DISSECT_THREAD/);
    expect(loadConfig({ LAB_DISSECT_THREAD: 'inline' }).dissectThread).toBe('inline');
    expect(() => loadConfig({ LAB_HEAP_GROWTH: 'half' })).toThrow(/LAB_HEAP_GROWTH/);
    expect(() => loadConfig({ LAB_HEAP_GROWTH: '500' })).toThrow(/LAB_HEAP_GROWTH/);
    expect(loadConfig({ LAB_HEAP_GROWTH: '0' }).heapGrowthPercent).toBe(0);
    const defaults = loadConfig({});
    expect(defaults.heapGrowthPercent).toBe(50);
    expect(defaults).toMatchObject({ webPort: 3000, host: '127.0.0.1', dissectThread: 'thread', smtp: { port: 2525 }, ssh: { port: 2222 }, ftp: { port: 2121, pasvRange: { min: 30000, max: 30009 } }, soap: { port: 8080 } });
  });
});
