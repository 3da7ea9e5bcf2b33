/**
 * node --import tsx bench/dissect.ts — prints figures, asserts nothing.
 * CPU per mail of the SMTP dissector alone, on the byte stream one pooled nodemailer connection
 * sends and receives for a small mail (as bench:smtp does), chunked as it crosses the tap:
 * isolates the dissector's share of the tap's cost from the sockets, store and hub around it.
 * Knobs: BENCH_N (mails per round, default 20000), BENCH_ROUNDS (default 5).
 */
import { createSmtpDissector } from '../lib/protocols/smtp/dissector.ts';
import type { StreamDir } from '../lib/protocols/types.ts';
import { median } from './report.ts';

const N = Number(process.env.BENCH_N ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const enc = (s: string) => Buffer.from(s, 'latin1');
function mail(i: number): [StreamDir, Buffer][] {
  const body = [
    'Content-Type: text/plain; charset=utf-8',
    'From: student@lab.test',
    'To: alice@lab.test',
    `Subject: bench ${i}`,
    `Message-ID: <bench-${i}-a1b2c3@lab.test>`,
    'Content-Transfer-Encoding: 7bit',
    'Date: Tue, 01 Dec 2026 06:40:00 +0000',
    'MIME-Version: 1.0',
    '',
    `message ${i}`,
    '.',
    '',
  ].join('\r\n');
  return [
    ['client', enc('MAIL FROM:<student@lab.test>\r\n')],
    ['server', enc('250 Accepted\r\n')],
    ['client', enc('RCPT TO:<alice@lab.test>\r\n')],
    ['server', enc('250 Accepted\r\n')],
    ['client', enc('DATA\r\n')],
    ['server', enc('354 End data with <CR><LF>.<CR><LF>\r\n')],
    ['client', enc(body)],
    ['server', enc(`250 OK: message queued as bench-${i}\r\n`)],
  ];
}

const greeting: [StreamDir, Buffer][] = [
  ['server', enc('220 mail.lab.test ESMTP\r\n')],
  ['client', enc('EHLO [127.0.0.1]\r\n')],
  ['server', enc('250-mail.lab.test Nice to meet you\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-AUTH LOGIN PLAIN\r\n250-SIZE 1048576\r\n250 STARTTLS\r\n')],
];

function round(): { micros: number; messages: number } {
  const mails = Array.from({ length: 100 }, (_, i) => mail(i));
  const d = createSmtpDissector();
  let messages = 0;
  for (const [dir, chunk] of greeting) messages += d.push(dir, chunk).length;
  const started = process.cpuUsage();
  for (let i = 0; i < N; i++) for (const [dir, chunk] of mails[i % mails.length]) messages += d.push(dir, chunk).length;
  const used = process.cpuUsage(started);
  return { micros: (used.user + used.system) / N, messages: messages / N };
}

round(); // warm-up (JIT)
const runs = Array.from({ length: ROUNDS }, round);
console.log(`SMTP dissector, ${ROUNDS} rounds of ${N.toLocaleString('en')} small mails on one connection (median):`);
console.log(`  ${median(runs.map((r) => r.micros)).toFixed(1)} µs CPU per mail, ${runs[0].messages.toFixed(1)} messages per mail  (rounds ${runs.map((r) => r.micros.toFixed(1)).join(', ')})`);
