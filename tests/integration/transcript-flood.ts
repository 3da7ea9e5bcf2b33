import net from 'node:net';

/**
 * Sends `count` pipelined NOOPs on one real SMTP connection (after the 220, so the
 * early-talker guard stays quiet), waits for every reply, then QUIT and the close. With `perRound`,
 * a steady flood instead of one burst: that many at a time, the next once they are answered and
 * `betweenRounds` has resolved.
 * Shared by the transcript cap test and bench:transcripts.
 */
export async function noopFlood(port: number, count: number, options: { perRound?: number; betweenRounds?: () => Promise<void> } = {}): Promise<{ localPort: number; replies: number }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let replies = -1; // the 220 greeting is not a NOOP reply
  let tail = '';
  let onLine: () => void = () => {};
  const closed = new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  socket.on('data', (data: string) => {
    const text = tail + data;
    let at = text.indexOf('\r\n');
    let start = 0;
    while (at !== -1) {
      // Only final reply lines ("250 OK"), not continuation lines ("250-…").
      if (text[start + 3] === ' ') replies++;
      start = at + 2;
      at = text.indexOf('\r\n', start);
    }
    tail = text.slice(start);
    onLine();
  });
  const until = (n: number) =>
    new Promise<void>((resolve) => {
      onLine = () => {
        if (replies >= n) resolve();
      };
      onLine();
    });
  const greeting = new Promise<string>((resolve) => socket.once('data', (data: string) => resolve(data)));
  await until(0);
  // A refusal (421: the tap's per-client cap) would leave the NOOPs unanswered: say so instead of waiting.
  const first = await greeting;
  if (!first.startsWith('220')) {
    socket.destroy();
    throw new Error(`noopFlood: the SMTP tap did not greet with 220 but said ${JSON.stringify(first.slice(0, 80))}`);
  }
  const localPort = socket.localPort ?? 0;
  // In rounds of `perRound` (all at once by default), each sent once the last round was answered.
  const perRound = options.perRound ?? count;
  for (let sent = 0; sent < count; sent += perRound) {
    const round = Math.min(perRound, count - sent);
    socket.write('NOOP\r\n'.repeat(round));
    await until(sent + round);
    await options.betweenRounds?.();
  }
  socket.write('QUIT\r\n');
  await closed;
  return { localPort, replies };
}
