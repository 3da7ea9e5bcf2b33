import net from 'node:net';

/**
 * Sends `count` pipelined NOOPs on one real SMTP connection (after the 220, so the
 * early-talker guard stays quiet), waits for every reply, then QUIT and the close.
 * Shared by the transcript cap test and bench:transcripts.
 */
export async function noopFlood(port: number, count: number): Promise<{ localPort: number; replies: number }> {
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
  await until(0);
  const localPort = socket.localPort ?? 0;
  socket.write('NOOP\r\n'.repeat(count));
  await until(count);
  socket.write('QUIT\r\n');
  await closed;
  return { localPort, replies };
}
