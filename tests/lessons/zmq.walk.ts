/**
 * Walkers for the ZeroMQ lessons (tests/lessons/harness.ts): pyzmq scripts — the seed's System B and
 * one socket of each pattern — against the lab's sockets through their taps, pyzmq's own SSH tunnel
 * (paramiko) through the SSH lab, and CURVE with the lab's public key from /api/lab.
 */
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import { TEST_PASSWORD } from '../helpers/daemon.ts';
import { runPython, seedClient, zmqOf } from '../integration/zmq-helpers.ts';
import type { LessonWalker, WalkContext } from './harness.ts';

type Socket = 'rep' | 'pub' | 'push' | 'pull' | 'pair' | 'curve';
const endpoint = (ctx: WalkContext, socket: Socket) => `tcp://127.0.0.1:${zmqOf(ctx.lab).tapOf[socket].port}`;

/** Runs a pyzmq script and fails unless its output matches `expected`. */
async function python(script: string, expected: RegExp, what: string): Promise<string> {
  const run = await runPython(script);
  if (run.code !== 0 || !expected.test(run.stdout)) throw new Error(`${what}: exit ${run.code}, stdout ${JSON.stringify(run.stdout)}, stderr ${run.stderr.slice(-500)}`);
  return run.stdout;
}

/** A socket of `type` with a receive timeout and no linger, connected to `to`. */
const socket = (type: string, to: string) => `import zmq, time
s = zmq.Context().socket(zmq.${type})
s.setsockopt(zmq.RCVTIMEO, 10000)
s.setsockopt(zmq.LINGER, 0)
s.connect(${JSON.stringify(to)})
`;

/** The seed's client, `count` Hellos; the REP answers at once (its think time set to 0 on the page). */
async function hellos(ctx: WalkContext, count: number): Promise<void> {
  await ctx.lab.api(zmqContracts.think, { body: { ms: 0 } });
  await python(seedClient(`socket.connect(${JSON.stringify(endpoint(ctx, 'rep'))})`, count), new RegExp(`Received reply ${count} \\[ World`), 'REQ/REP');
}

/** zmq-patterns: one pyzmq client per pattern, and a REQ at the PUB. */
function patterns(): LessonWalker {
  return {
    lesson: 'zmq-patterns',
    steps: {
      'req-rep': (ctx) => hellos(ctx, 3),
      'pub-sub': async (ctx) => {
        await python(`${socket('SUB', endpoint(ctx, 'pub'))}s.setsockopt(zmq.SUBSCRIBE, b"weather.")
for _ in range(2):
    topic, body = s.recv_multipart()
    print(topic.decode())
`, /^weather\.\w+\nweather\.\w+\n$/, 'SUB weather.');
      },
      'push-pull': async (ctx) => {
        await python(`import zmq
ctx = zmq.Context()
pull = ctx.socket(zmq.PULL); pull.setsockopt(zmq.RCVTIMEO, 15000); pull.setsockopt(zmq.LINGER, 0)
push = ctx.socket(zmq.PUSH); push.setsockopt(zmq.LINGER, 2000)
pull.connect(${JSON.stringify(endpoint(ctx, 'push'))})
push.connect(${JSON.stringify(endpoint(ctx, 'pull'))})
task = pull.recv()
print(task.decode())
push.send(b"result of " + task)
push.close()
`, /^task \d+/, 'PULL worker');
      },
      pair: async (ctx) => {
        await python(`${socket('PAIR', endpoint(ctx, 'pair'))}s.send(b"ping")
print(s.recv().decode())
`, /^PAIR heard: ping$/m, 'PAIR');
      },
      'illegal-pair': async (ctx) => {
        // The REQ stays (libzmq tries again every 100 ms after each refused handshake) until the lab shows
        // the PUB's READY and the close: which READY crosses first varies, and a 2 s receive timeout once
        // ran out on a loaded machine before any handshake, leaving the step unproven.
        const proven = ctx.until('the PUB refusing a REQ', (state) => state.status.find((s) => s.step === ctx.step.id)?.done === true);
        const [run] = await Promise.all([
          runPython(`import sys, zmq
s = zmq.Context().socket(zmq.REQ)
s.setsockopt(zmq.LINGER, 0)
s.connect(${JSON.stringify(endpoint(ctx, 'pub'))})
s.send(b"Hello")
sys.stdin.read()
try:
    print(s.recv(zmq.NOBLOCK).decode())
except zmq.Again:
    print("no reply")
`, 60_000, proven),
          proven,
        ]);
        if (run.code !== 0 || run.stdout !== 'no reply\n') throw new Error(`REQ at the PUB: exit ${run.code}, stdout ${JSON.stringify(run.stdout)}, stderr ${run.stderr.slice(-500)}`);
      },
    },
  };
}

/** zmq-slow-joiner: a late SUB, then CANCEL and SUBSCRIBE again on the same connection. */
function slowJoiner(): LessonWalker {
  return {
    lesson: 'zmq-slow-joiner',
    steps: {
      'late-subscribe': async (ctx) => {
        const out = await python(`${socket('SUB', endpoint(ctx, 'pub'))}s.setsockopt(zmq.SUBSCRIBE, b"clock")
topic, body = s.recv_multipart()
print(body.decode())
`, /^#\d+ /, 'SUB clock');
        if (out.startsWith('#1 ')) throw new Error('the late subscriber got clock #1: nothing was published before it joined');
      },
      cancel: async (ctx) => {
        await python(`${socket('SUB', endpoint(ctx, 'pub'))}s.setsockopt(zmq.SUBSCRIBE, b"clock")
s.recv_multipart()
s.setsockopt(zmq.UNSUBSCRIBE, b"clock")
time.sleep(1.5)
s.setsockopt(zmq.SUBSCRIBE, b"clock")
while True:
    topic, body = s.recv_multipart()
    if topic == b"clock":
        print(body.decode())
        break
`, /^#\d+ /, 'SUB clock again');
      },
    },
  };
}

/** zmq-security: NULL directly, the same through pyzmq's SSH tunnel, then CURVE with the lab's key. */
function security(): LessonWalker {
  return {
    lesson: 'zmq-security',
    steps: {
      null: (ctx) => hellos(ctx, 1),
      tunnel: async (ctx) => {
        await ctx.lab.api(zmqContracts.think, { body: { ms: 0 } });
        const connect = `from zmq import ssh
ssh.tunnel_connection(socket, ${JSON.stringify(endpoint(ctx, 'rep'))}, "student@127.0.0.1:${ctx.port('ssh')}", password=${JSON.stringify(TEST_PASSWORD)}, paramiko=True)`;
        await python(seedClient(connect, 1), /Received reply 1 \[ World/, 'REQ through the SSH tunnel');
      },
      curve: async (ctx) => {
        const info = await ctx.lab.api<{ zmq: { curveServerKey: string } }>('/api/lab');
        await python(`import zmq
pub, sec = zmq.curve_keypair()
s = zmq.Context().socket(zmq.REQ)
s.setsockopt(zmq.RCVTIMEO, 10000)
s.setsockopt(zmq.LINGER, 0)
s.curve_publickey = pub
s.curve_secretkey = sec
s.curve_serverkey = ${JSON.stringify(info.zmq.curveServerKey)}.encode()
s.connect(${JSON.stringify(endpoint(ctx, 'curve'))})
s.send(b"Hello")
print(s.recv().decode())
`, /^World from \d+$/m, 'CURVE REQ');
      },
    },
  };
}

/** Every ZeroMQ lesson's walker (tests/integration/lessons-walk-zmq.test.ts). */
export const ZMQ_WALKERS: readonly LessonWalker[] = [patterns(), slowJoiner(), security()];
