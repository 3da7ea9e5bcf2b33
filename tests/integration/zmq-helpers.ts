/** Shared by the ZeroMQ lab's tests: pyzmq scripts run by a python3 that has zmq and paramiko, and the lab's transcript. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import type { Bus } from '../../lib/bus/bus.ts';
import type { LabMessage, ConnectionInfo } from '../../lib/wire/event.ts';
import { zmqLab, type ZmqRunningLab } from '../../servers/zmq/lab.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import type { LabConsole } from '../../servers/daemon/lab.ts';
import { Arrivals } from '../helpers/arrivals.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { pythonWithZmq } from '../helpers/tools.ts';

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a Python script with pyzmq; killed after `timeoutMs` so a hang is a failure with output. Given
 * `until`, the script's stdin stays open until that settles: a script that reads stdin to its end
 * runs for as long as the test needs it to (until the lab has shown something), not for a guessed time.
 */
export async function runPython(script: string, timeoutMs = 30_000, until?: Promise<unknown>): Promise<PythonRun> {
  const python = await pythonWithZmq();
  return new Promise((resolve) => {
    const child = spawn(python, until ? ['-u', '-c', script] : ['-u', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (until) {
      const stop = () => child.stdin.end();
      until.then(stop, stop);
    } else child.stdin.end(script);
  });
}

/**
 * The start of a pyzmq script: a REQ on `port` sends `bytes` octets of "x", then waits for its monitor's
 * DISCONNECTED (the proof the server dropped the peer, libzmq's ZMQ_MAXMSGSIZE, not a silence) and prints
 * "disconnected", or "still connected" after 20 s; the socket is closed after.
 */
export function overLimitSender(port: number, bytes: number): string {
  return `import zmq
from zmq.utils.monitor import recv_monitor_message
ctx = zmq.Context()
s = ctx.socket(zmq.REQ)
s.setsockopt(zmq.LINGER, 0)
mon = s.get_monitor_socket(zmq.EVENT_DISCONNECTED)
mon.setsockopt(zmq.RCVTIMEO, 20000)
s.connect("tcp://127.0.0.1:${port}")
s.send(b"x" * ${bytes})
try:
    recv_monitor_message(mon)
    print("disconnected")
except zmq.Again:
    print("still connected")
s.disable_monitor(); s.close()
`;
}

/** Every ZeroMQ message and connection the bus carries from now on. */
export function zmqTranscript(bus: Bus): { messages: LabMessage[]; connections: Map<string, ConnectionInfo>; stop(): void } {
  const messages: LabMessage[] = [];
  const connections = new Map<string, ConnectionInfo>();
  const stop = bus.subscribe((event) => {
    if (event.type === 'message' && event.message.protocol === 'zmq') messages.push(event.message);
    if ((event.type === 'connection.open' || event.type === 'connection.update' || event.type === 'connection.close') && event.connection.protocol === 'zmq') connections.set(event.connection.id, event.connection);
  });
  return { messages, connections, stop };
}

/** The running ZeroMQ lab of a test daemon. */
export function zmqOf(lab: TestLab): ZmqRunningLab {
  const zmq = lab.daemon.labs.find((l) => l.protocol === 'zmq');
  if (!zmq) throw new Error('the ZeroMQ lab is not running');
  return zmq as ZmqRunningLab;
}

/** The seed's System B (Python 3), `count` Hellos to `endpoint`, each reply printed as the seed prints it. */
export function seedClient(connect: string, count = 10): string {
  return `import zmq
context = zmq.Context()
socket = context.socket(zmq.REQ)
socket.setsockopt(zmq.RCVTIMEO, 15000)
socket.setsockopt(zmq.LINGER, 0)
${connect}
for request in range(1, ${count + 1}):
    print("Sending request", request, "...")
    socket.send(b"Hello")
    message = socket.recv()
    print("Received reply", request, "[", message.decode(), "]")
`;
}

/** Opens the lab's console of `kind` as the hub would (a browser in sandbox 'local'); its output arrives line by line. */
export function openZmqConsole(lab: TestLab, kind: string): { console: LabConsole; lines: Arrivals<string> } {
  const lines = new Arrivals<string>((line) => line);
  let pending = '';
  const console = zmqOf(lab).openConsole?.(
    {
      status: () => {},
      output: (text) => {
        pending += text;
        const parts = pending.split('\r\n');
        pending = parts.pop() ?? '';
        for (const part of parts) lines.push(part);
      },
      owner: { sandbox: 'local', browser: 'b-test' },
    },
    kind,
  );
  if (!console) throw new Error(`no console ${kind}`);
  console.open({ cols: 100, rows: 30 });
  return { console, lines };
}

/**
 * A test lab with only the ZeroMQ lab, started before this file's tests and stopped after them.
 * `instantReplies` sets the REP's think time to 0 (the lab's default keeps a pause a class can watch).
 */
export function zmqLabForFile(options: { instantReplies?: boolean } = {}): () => TestLab {
  let lab: TestLab | undefined;
  beforeAll(async () => {
    lab = await startTestLab({ labs: [zmqLab] });
    if (options.instantReplies) await lab.api(zmqContracts.think, { body: { ms: 0 } });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
  });
  return () => {
    if (!lab) throw new Error('the ZeroMQ test lab has not started');
    return lab;
  };
}
