#!/usr/bin/env node
// Runs the Playwright e2e suite against Debian's Chromium: finds the browser, builds the UI,
// picks free ports for every lab server so a running Protocol Lab is never disturbed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const candidates = [process.env.LAB_CHROMIUM, process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const chromium = candidates.find((p) => fs.existsSync(p));
if (!chromium) {
  console.error(
    'e2e: no Chromium found. Install Debian\'s browser with `sudo apt-get install -y chromium`,\n' +
      'or point LAB_CHROMIUM at a Chromium/Chrome binary. (Playwright cannot download browsers here.)',
  );
  process.exit(1);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const env = { ...process.env, LAB_CHROMIUM: chromium, NEXT_TELEMETRY_DISABLED: '1' };
for (const name of ['PORT', 'SMTP_PORT']) env[name] = String(await freePort());
env.LAB_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-lab-e2e-'));
env.LAB_PASSWORD = 'e2e-password';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;
let status = run('npx', ['next', 'build']);
if (status === 0) status = run('npx', ['playwright', 'test', ...process.argv.slice(2)]);
fs.rmSync(env.LAB_DATA_DIR, { recursive: true, force: true });
process.exit(status);
