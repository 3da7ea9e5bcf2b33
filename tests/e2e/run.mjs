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

async function canBind(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `size` consecutive free ports (FTP passive mode, ZeroMQ's six sockets), as `first-last`. Drawn below Linux's
 * ephemeral range (32768–60999 by default), where no outgoing connection of another program lands in them.
 */
async function freeRange(size = 10) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 12000);
    let ok = true;
    for (let p = base; p < base + size && ok; p++) ok = await canBind(p);
    if (ok) return `${base}-${base + size - 1}`;
  }
  throw new Error('e2e: no free range of passive ports found');
}

const env = { ...process.env, LAB_CHROMIUM: chromium, NEXT_TELEMETRY_DISABLED: '1' };
env.LAB_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-lab-e2e-'));
env.LAB_PASSWORD = 'e2e-password';
// The teacher's token, known to the specs (classroom-teacher signs in with it).
env.LAB_TEACHER_TOKEN = 'e2e-teacher-token';
// Above the 5,000 messages the browser keeps of a connection, so a stored session can be longer than the player holds
// (tests/e2e/long-smtp.ts): a class rewound to its early messages, a live message past what the store keeps.
env.LAB_TRANSCRIPT_MESSAGES = '6000';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;
let status = run('npx', ['next', 'build']);
if (status === 0) {
  // Picked after the build (a minute or more), so the ports are as fresh as they can be when the lab binds them.
  for (const name of ['PORT', 'SMTP_PORT', 'SSH_PORT', 'FTP_PORT', 'SERVICE_PORT', 'GATEWAY_PORT']) env[name] = String(await freePort());
  env.FTP_PASV_RANGE = await freeRange();
  env.ZMQ_BASE_PORT = (await freeRange(6)).split('-')[0];
  status = run('npx', ['playwright', 'test', ...process.argv.slice(2)]);
}
fs.rmSync(env.LAB_DATA_DIR, { recursive: true, force: true });
process.exit(status);
