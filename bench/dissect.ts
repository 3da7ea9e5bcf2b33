/**
 * node --import tsx bench/dissect.ts — prints figures, asserts nothing.
 * CPU per mail of the SMTP dissector alone, on the byte stream one pooled nodemailer connection
 * sends and receives for a small mail (as bench:smtp does), chunked as it crosses the tap:
 * isolates the dissector's share of the tap's cost from the sockets, store and hub around it.
 * The same for the ZMTP dissector on REQ/REP round trips (bench:zmq's first figure).
 * Knobs: BENCH_N (mails per round, default 20000), BENCH_ROUNDS (default 5).
 */
import { createSmtpDissector } from '../lib/protocols/smtp/dissector.ts';
import { createZmtpDissector } from '../lib/protocols/zmtp/dissector.ts';
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

// ZMTP (as bench:zmq's REQ/REP): NULL greeting and READY each way, then round trips of an empty
// delimiter frame (MORE) and a 5-octet body, each frame in its own chunk as libzmq writes them.
const zmtpGreeting = (asServer: number) => Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 3, 1, ...Buffer.from('NULL'.padEnd(20, '\0')), asServer, ...new Array<number>(31).fill(0)]);
function ready(type: string): Uint8Array {
  const body = Buffer.concat([Buffer.from([5]), Buffer.from('READY'), Buffer.from([11]), Buffer.from('Socket-Type'), Buffer.from([0, 0, 0, type.length]), Buffer.from(type)]);
  return Uint8Array.from([0x04, body.length, ...body]);
}
const zmtpOpen: [StreamDir, Uint8Array][] = [
  ['client', zmtpGreeting(0)], ['server', zmtpGreeting(1)], ['client', ready('REQ')], ['server', ready('REP')],
];
const roundTrip: [StreamDir, Uint8Array][] = [
  ['client', Uint8Array.from([0x01, 0x00])], ['client', Uint8Array.from([0x00, 0x05, ...Buffer.from('hello')])],
  ['server', Uint8Array.from([0x01, 0x00])], ['server', Uint8Array.from([0x00, 0x05, ...Buffer.from('world')])],
];

function zmtpRound(): { micros: number; messages: number } {
  const d = createZmtpDissector();
  let messages = 0;
  for (const [dir, chunk] of zmtpOpen) messages += d.push(dir, chunk).length;
  const started = process.cpuUsage();
  for (let i = 0; i < N; i++) for (const [dir, chunk] of roundTrip) messages += d.push(dir, chunk).length;
  const used = process.cpuUsage(started);
  return { micros: (used.user + used.system) / N, messages: messages / N };
}

function report(what: string, unit: string, run: () => { micros: number; messages: number }): void {
  run(); // warm-up (JIT)
  const runs = Array.from({ length: ROUNDS }, run);
  console.log(`${what}, ${ROUNDS} rounds of ${N.toLocaleString('en')} on one connection (median):`);
  console.log(`  ${median(runs.map((r) => r.micros)).toFixed(1)} µs CPU per ${unit}, ${runs[0].messages.toFixed(1)} messages per ${unit}  (rounds ${runs.map((r) => r.micros.toFixed(1)).join(', ')})`);
}

report('SMTP dissector, small mails', 'mail', round);
report('ZMTP dissector, REQ/REP round trips', 'round trip', zmtpRound);
