/**
 * Wire→follower latency: the teacher types SMTP lines on a real connection of the default sandbox
 * (a raw socket, logged in with the lab's own login so the session is filed at once), students'
 * pages follow the teacher over /ws, and each line is timed from the moment it was written to the
 * moment each follower's frame carrying it arrived. Teacher and followers share this process's
 * clock; nothing else runs in it while they are measured (the students' clients have their own).
 */
import net from 'node:net';
import WebSocket from 'ws';
import type { ServerMessage } from '../lib/http/ws-protocol.ts';

/** A reply's code, or the whole reply when it does not start with one. */
type Reply = { code: number; text: string };

/** A raw SMTP session: one reply awaited per line written, as a person at a console works. */
export class TeacherSession {
  private buffered = '';
  private lines: string[] = [];
  private readonly replies: Reply[] = [];
  private readonly waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk.toString('latin1')));
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the teacher’s SMTP connection closed')));
  }

  /** Connects from 127.0.0.1, waits for 220, EHLO, then AUTH PLAIN as `user` (the lab's login: the default sandbox). */
  static async open(port: number, user: string, password: string): Promise<TeacherSession> {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
    const session = new TeacherSession(socket);
    try {
      // The server's early-talker guard answers 421 to a client speaking before its greeting.
      session.expect(await session.reply(), 220, 'greeting');
      session.expect(await session.send('EHLO teacher.lab.test'), 250, 'EHLO');
      session.expect(await session.send(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`), 235, 'AUTH PLAIN');
      return session;
    } catch (err) {
      socket.destroy();
      throw err;
    }
  }

  /** Writes `line`, resolving with its reply and the moment it was written (performance.now()). */
  async timedSend(line: string): Promise<{ reply: Reply; writtenAt: number }> {
    const reply = this.reply();
    const writtenAt = performance.now();
    this.socket.write(`${line}\r\n`);
    return { reply: await reply, writtenAt };
  }

  async send(line: string): Promise<Reply> {
    return (await this.timedSend(line)).reply;
  }

  close(): void {
    this.socket.end('QUIT\r\n');
    this.socket.destroySoon();
  }

  private expect(reply: Reply, code: number, what: string): void {
    if (reply.code !== code) throw new Error(`teacher's ${what}: expected ${code}, got ${reply.text}`);
  }

  private reply(): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private read(text: string): void {
    this.buffered += text;
    let end: number;
    while ((end = this.buffered.indexOf('\r\n')) >= 0) {
      const line = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      this.lines.push(line);
      // The last line of a reply: a code and a space (or the code alone), RFC 5321 §4.2.1.
      if (/^\d{3}( |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), text: this.lines.join(' | ') };
        this.lines = [];
        const waiter = this.waiting.shift();
        if (waiter) waiter.resolve(reply);
        else this.replies.push(reply);
      }
    }
  }
}

/** A student's page following the teacher: every teacher line it was sent, when, and in what order. */
export class Follower {
  /** Arrival time of each marker line, by marker. */
  readonly arrivals = new Map<string, number>();
  /** Marker lines seen out of order (a lower number after a higher one of the same run) or twice. */
  outOfOrder = 0;
  /** Events the hub dropped for this page (`gap` frames). */
  dropped = 0;
  private last = new Map<string, number>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const at = performance.now();
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'gap') this.dropped += message.dropped;
      if (message.type !== 'events') return;
      for (const event of message.events) {
        if (event.type !== 'message' || event.message.dir !== 'client' || event.message.view !== 'wire') continue;
        const marker = MARKER.exec(event.message.text);
        if (!marker) continue;
        const [, run, n] = marker;
        if (this.arrivals.has(event.message.text) || Number(n) <= (this.last.get(run) ?? -1)) this.outOfOrder++;
        else this.arrivals.set(event.message.text, at);
        this.last.set(run, Math.max(Number(n), this.last.get(run) ?? -1));
      }
    });
  }

  /** Opens /ws as the browser holding `cookie` and follows its class's teacher; resolves with the teacher's sandbox. */
  static async open(baseUrl: string, cookie: string): Promise<{ follower: Follower; following: string }> {
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/ws`, { headers: { cookie } });
    const follower = new Follower(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const following = new Promise<string>((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString()) as ServerMessage;
        if (message.type === 'follow' || message.type === 'error') {
          ws.off('message', onMessage);
          if (message.type === 'follow' && message.following) resolve(message.following);
          else reject(new Error(`follow refused: ${JSON.stringify(message)}`));
        }
      };
      ws.on('message', onMessage);
    });
    ws.send(JSON.stringify({ type: 'follow', enabled: true }));
    return { follower, following: await following };
  }

  close(): void {
    this.ws.close();
  }
}

const MARKER = /^NOOP ([a-z]+)-(\d+)$/;

/** One run's figures over every (line, follower) pair. */
export interface FollowFigures {
  lines: number;
  followers: number;
  medianMs: number;
  p99Ms: number;
  /** Pairs whose line never reached the follower within the settle time. */
  missing: number;
  outOfOrder: number;
  /** Events the hub dropped for slow pages during the run (all followers). */
  dropped: number;
  /** Replies other than 250 to the teacher's lines. */
  badReplies: number;
  /**
   * The teacher's own round trip (line written → its reply read), median and p99: the lab's SMTP
   * path alone, so a slow follower figure beside a slow reply means a busy lab, not a slow hub.
   */
  replyMedianMs: number;
  replyP99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/**
 * The teacher sends `NOOP <run>-<n>` lines, each after the previous one's reply and `gapMs` of
 * pause, until `more(sent)` says stop; then waits (at most `settleMs`) for every follower to get
 * the last one, and reads the figures.
 */
export async function teacherLines(teacher: TeacherSession, followers: Follower[], run: string, more: (sent: number) => boolean, gapMs: number, settleMs = 5000): Promise<FollowFigures> {
  const writtenAt: number[] = [];
  const droppedBefore = followers.reduce((sum, f) => sum + f.dropped, 0);
  const outOfOrderBefore = followers.reduce((sum, f) => sum + f.outOfOrder, 0);
  const roundTrips: number[] = [];
  let badReplies = 0;
  while (more(writtenAt.length)) {
    const { reply, writtenAt: at } = await teacher.timedSend(`NOOP ${run}-${writtenAt.length}`);
    roundTrips.push(performance.now() - at);
    writtenAt.push(at);
    if (reply.code !== 250) badReplies++;
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  const lastMarker = `NOOP ${run}-${writtenAt.length - 1}`;
  const settleUntil = performance.now() + settleMs;
  while (writtenAt.length > 0 && performance.now() < settleUntil && !followers.every((f) => f.arrivals.has(lastMarker))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const latencies: number[] = [];
  let missing = 0;
  writtenAt.forEach((t0, n) => {
    for (const f of followers) {
      const at = f.arrivals.get(`NOOP ${run}-${n}`);
      if (at === undefined) missing++;
      else latencies.push(at - t0);
    }
  });
  latencies.sort((a, b) => a - b);
  roundTrips.sort((a, b) => a - b);
  return {
    lines: writtenAt.length,
    followers: followers.length,
    medianMs: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    missing,
    outOfOrder: followers.reduce((sum, f) => sum + f.outOfOrder, 0) - outOfOrderBefore,
    dropped: followers.reduce((sum, f) => sum + f.dropped, 0) - droppedBefore,
    badReplies,
    replyMedianMs: percentile(roundTrips, 50),
    replyP99Ms: percentile(roundTrips, 99),
  };
}
