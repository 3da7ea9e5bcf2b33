import net from 'node:net';
import WebSocket from 'ws';
import type { LabEvent } from '../../lib/bus/events.ts';
import type { ServerMessage } from '../../lib/http/ws-protocol.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { Arrivals, type WaitOptions } from './arrivals.ts';
import type { TestLab } from './daemon.ts';

/** One /ws frame: as sent on the wire, and parsed. */
export interface Frame {
  raw: string;
  message: ServerMessage;
}

/** A transcript message event inside a frame. */
type MessageEvent = Extract<LabEvent, { type: 'message' }>;

/**
 * A browser stand-in: one /ws connection recording every frame, with waits that only frames after
 * the previous match satisfy (see Arrivals). The one WebSocket client of the integration tests.
 */
export class TestBrowser {
  readonly arrivals = new Arrivals<Frame>((f) => f.raw.slice(0, 300));
  /** Every bus event the hub delivered, one by one: a batch frame can carry several, each waited for on its own. */
  readonly events = new Arrivals<LabEvent>((e) => JSON.stringify(e).slice(0, 300));

  /** The TCP socket under the WebSocket: pause it to play a browser that stops reading. */
  tcp: net.Socket | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const raw = data.toString();
      const message = JSON.parse(raw) as ServerMessage;
      this.arrivals.push({ raw, message });
      if (message.type === 'events') for (const event of message.events) this.events.push(event);
    });
  }

  /** `cookie`: a student browser's (tests/helpers/student.ts), so its events are its sandbox's. */
  static async open(lab: TestLab, options: { origin?: string; cookie?: string } = {}): Promise<TestBrowser> {
    let tcp: net.Socket | null = null;
    const ws = new WebSocket(`${lab.baseUrl.replace('http', 'ws')}/ws`, {
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.cookie ? { headers: { cookie: options.cookie } } : {}),
      // ws calls it with one options object only; the overloads of net.connect are not used.
      createConnection: ((opts: net.NetConnectOpts) => (tcp = net.connect(opts))) as typeof net.createConnection,
    });
    const browser = new TestBrowser(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    browser.tcp = tcp;
    return browser;
  }

  /** Every frame so far, raw. */
  get frames(): string[] {
    return this.arrivals.items.map((f) => f.raw);
  }

  /** Every message so far, parsed. */
  get messages(): ServerMessage[] {
    return this.arrivals.items.map((f) => f.message);
  }

  /** Where the next frame will land (for `from`). */
  get mark(): number {
    return this.arrivals.mark;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message passing `test`, after the previous match (or `from`). */
  async next(test: (m: ServerMessage) => boolean, options: WaitOptions = {}): Promise<ServerMessage> {
    return (await this.arrivals.next((f) => test(f.message), options)).message;
  }

  /** The next raw frame containing `needle` or passing it as a test. */
  async frame(needle: string | ((raw: string) => boolean), options: WaitOptions = {}): Promise<string> {
    const test = typeof needle === 'string' ? (raw: string) => raw.includes(needle) : needle;
    return (await this.arrivals.next((f) => test(f.raw), { what: String(needle), ...options })).raw;
  }

  /** The next transcript message of `conn` whose text matches (optionally in one view), after the previous one waited for. */
  async message(conn: string, pattern: RegExp, options: WaitOptions & { view?: LabMessage['view'] } = {}): Promise<LabMessage> {
    const hit = (e: LabEvent): e is MessageEvent => e.type === 'message' && e.message.conn === conn && pattern.test(e.message.text) && (!options.view || e.message.view === options.view);
    const event = await this.events.next(hit, { what: `${pattern} on ${conn}`, ...options });
    if (!hit(event)) throw new Error('unreachable: the event matched');
    return event.message;
  }

  /** The conn of console `consoleId` once it reports open. */
  async consoleOpen(consoleId: string, options: WaitOptions = {}): Promise<string> {
    const m = await this.next((m) => m.type === 'console' && m.consoleId === consoleId && m.status.state === 'open', { what: `console ${consoleId} open`, ...options });
    return m.type === 'console' && m.status.state === 'open' ? m.status.conn : '';
  }

  /** Everything a console printed so far, as xterm would receive it. */
  output(consoleId: string): string {
    return this.messages.map((m) => (m.type === 'console.output' && m.consoleId === consoleId ? m.data : '')).join('');
  }

  /** A console's output after character `from`, once it matches `re`. */
  async outputUntil(consoleId: string, from: number, re: RegExp): Promise<string> {
    const after = () => this.output(consoleId).slice(from);
    await this.arrivals.indexOf(() => re.test(after()), { from: 0, what: `${re} in console output ${JSON.stringify(after())}` });
    return after();
  }

  /** Sends `input` to a console and resolves with the output it caused once that matches `re`. */
  type(consoleId: string, input: string, re: RegExp): Promise<string> {
    const done = this.outputUntil(consoleId, this.output(consoleId).length, re);
    this.send({ type: 'console.input', consoleId, data: input });
    return done;
  }

  close(): void {
    this.ws.close();
  }
}

/** The pages a test file opens as browsers (with a sandbox cookie or as the machine's owner), closed together at its end. */
export class BrowserPool {
  private readonly opened: TestBrowser[] = [];

  async open(lab: TestLab, cookie?: string): Promise<TestBrowser> {
    const page = await TestBrowser.open(lab, cookie ? { cookie } : {});
    this.opened.push(page);
    return page;
  }

  closeAll(): void {
    for (const page of this.opened.splice(0)) page.close();
  }
}
