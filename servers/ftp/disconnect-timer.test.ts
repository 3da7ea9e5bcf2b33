import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./disconnect-timer.child.ts', import.meta.url));

describe('withoutDisconnectTimer', () => {
  it('a process that started and stopped the FTP server (clients came and went) has no timer left and exits on its own', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const reported = new Promise<string>((resolve) => proc.stdout.on('data', () => out.includes('\n') && resolve(out)));
    const exited = once(proc, 'exit');
    const report = JSON.parse(await Promise.race([reported, exited.then(() => out)])) as { resources: string[] };
    if (report.resources.includes('Timeout')) proc.kill(); // the old behaviour: 10 more minutes alive
    expect(report.resources).not.toContain('Timeout');
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
