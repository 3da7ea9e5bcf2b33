import { bareHost, hostPort } from '@/components/lab/address';
import type { ClientRecipe } from '@/components/lab/own-client';

/** Where the recipes point: the lab's real ports (GET /api/lab) and the SSH login for the tunnel. */
export interface ZmqRecipeTargets {
  /** The address clients reach the lab by (GET /api/lab's host), e.g. 127.0.0.1. */
  host: string;
  /** REP (the seed's System A), PUB, PUSH (ventilator), PULL (sink), PAIR, CURVE REP. */
  ports: { rep: number; pub: number; push: number; pull: number; pair: number; curve: number };
  /** The CURVE server's public key in Z85 (40 characters), or null until the lab says it. */
  curveServerKey: string | null;
  /** The lab's SSH server (the tunnel's other end) and its login. */
  ssh: { port: number; user: string; password: string };
  /** The local end of the `ssh -L` tunnel: the seed's 5557. */
  tunnelPort?: number;
}

/** The local port the seed forwards (System B's 5557). */
export const SEED_TUNNEL_PORT = 5557;

/**
 * The local end of the recipe's `ssh -L`: 15557, the seed's 5557 moved off the ZeroMQ ports of any lab with the
 * default ZMQ_BASE_PORT (there 5557 is the PUSH port, and ssh could not bind it, even for a second lab on the same
 * machine on other ports), and the lesson's port; further up if this lab listens there itself.
 */
export function tunnelLocalPort(ports: Partial<ZmqRecipeTargets['ports']>, sshPort: number): number {
  const taken = new Set([...Object.values(ports), sshPort]);
  return [1, 2, 3].map((n) => SEED_TUNNEL_PORT + n * 10_000).find((p) => !taken.has(p)) ?? SEED_TUNNEL_PORT + 40_000;
}

/**
 * The seed's System B, in Python 3: ten `Hello`s to a REQ socket, each reply printed. The seed's
 * `range(1, 10)` sends nine despite its comment; `range(1, 11)` sends the ten it promises.
 */
function reqScript(connect: string, setup = ''): string {
  return `import zmq
${setup ? `from zmq import ssh\n` : ''}
context = zmq.Context()
print("Connecting to server...")
socket = context.socket(zmq.REQ)
socket.setsockopt(zmq.RCVTIMEO, 15000)   # a stopped lab is an error, not a hang
socket.setsockopt(zmq.LINGER, 0)
${setup || `socket.connect("${connect}")`}

# Do 10 requests, waiting each time for a response
for request in range(1, 11):
    print("Sending request", request, "...")
    socket.send(b"Hello")
    # Get the reply.
    message = socket.recv()
    print("Received reply", request, "[", message.decode(), "]")`;
}

/**
 * Copy-paste clients for the ZeroMQ lab: the seed's pyzmq scripts with the lab's ports, the same
 * through `ssh -L` and through pyzmq's own tunnel, the other patterns, and Node's zeromq.
 * Pure data: tests/integration/own-client-recipes.test.ts runs them against the real servers.
 */
export function zmqRecipes(t: ZmqRecipeTargets): ClientRecipe[] {
  const { host, ports, ssh } = t;
  const local = t.tunnelPort ?? tunnelLocalPort(ports, ssh.port);
  const moved = ` (the seed's ${SEED_TUNNEL_PORT} is the PUSH port of a lab with the default ZMQ_BASE_PORT)`;
  const key = t.curveServerKey ?? '<the server public key shown on the CURVE tab>';
  return [
    {
      name: 'pyzmq · REQ (the seed)',
      code: reqScript(`tcp://${hostPort(host, ports.rep)}`),
      note: `The seed's System B. Debian: apt-get install python3-zmq (or pip install pyzmq). Each reply takes the REP's think time (1 s by default). Your connection appears live in the REQ/REP tab.`,
    },
    {
      name: 'ssh -L, then pyzmq',
      code: `# Terminal 1: the seed's tunnel (password: ${ssh.password}); -N runs no command, it only forwards.
# Local port ${local}${moved}.
ssh -N -L 127.0.0.1:${local}:127.0.0.1:${ports.rep} ${ssh.user}@${bareHost(host)} -p ${ssh.port}

# Terminal 2: the same client, now talking to the tunnel's local end
python3 - <<'EOF'
${reqScript(`tcp://127.0.0.1:${local}`)}
EOF`,
      note: `ssh opens a direct-tcpip channel to 127.0.0.1:${ports.rep} (RFC 4254 §7.2); on the wire between you and the SSH server there are only SSH packets. The ZMTP connection appears as a child of your SSH connection.`,
    },
    {
      name: 'pyzmq · tunnel_connection',
      code: reqScript(
        '',
        `# pyzmq opens the SSH tunnel itself (paramiko: Debian's python3-paramiko), then connects through it.
ssh.tunnel_connection(socket, "tcp://127.0.0.1:${ports.rep}", "${ssh.user}@${hostPort(host, ssh.port)}",
                      password="${ssh.password}", paramiko=True)`,
      ),
      note: 'paramiko=True: without it pyzmq drives the ssh command through pexpect. paramiko warns about the unknown host key and goes on; compare its fingerprint with the SSH lab’s.',
    },
    {
      name: 'pyzmq · SUB',
      code: `import zmq

context = zmq.Context()
socket = context.socket(zmq.SUB)
socket.setsockopt(zmq.RCVTIMEO, 5000)
socket.connect("tcp://${hostPort(host, ports.pub)}")
# Prefix match on the first frame: "weather." gets weather.seoul and weather.tehran, not clock.
socket.setsockopt(zmq.SUBSCRIBE, b"weather.")

for _ in range(4):
    print(socket.recv_multipart())

socket.setsockopt(zmq.UNSUBSCRIBE, b"weather.")   # a CANCEL command on the wire
socket.setsockopt(zmq.SUBSCRIBE, b"clock")
print(socket.recv_multipart())`,
      note: 'The slow joiner: what the PUB sent before your SUBSCRIBE arrived is gone; only later messages reach you.',
    },
    {
      name: 'pyzmq · PUSH/PULL worker',
      code: `import zmq

context = zmq.Context()
tasks = context.socket(zmq.PULL)            # the ventilator fans tasks out to every worker in turn
tasks.setsockopt(zmq.RCVTIMEO, 10000)
tasks.connect("tcp://${hostPort(host, ports.push)}")
results = context.socket(zmq.PUSH)          # the sink collects every worker's results
results.connect("tcp://${hostPort(host, ports.pull)}")

done = 0
while done < 5:
    task = tasks.recv()
    print("received", task.decode())
    results.send(b"done " + task)
    done += 1`,
      note: 'Start two or three of these: the tasks are dealt round-robin between the connected workers.',
    },
    {
      name: 'pyzmq · PAIR',
      code: `import zmq

context = zmq.Context()
socket = context.socket(zmq.PAIR)
socket.setsockopt(zmq.RCVTIMEO, 5000)
socket.connect("tcp://${hostPort(host, ports.pair)}")
socket.send(b"Hello, pair")
print(socket.recv())`,
      note: 'A PAIR talks to exactly one peer, and the lab’s PAIR keeps the first: while the PAIR tab’s console is connected, this script is the ignored second peer (no reply, zmq.error.Again). Type disconnect in the PAIR tab first. Then run a second copy while the first waits and see what happens to it.',
    },
    {
      name: 'pyzmq · CURVE',
      code: `import zmq

context = zmq.Context()
socket = context.socket(zmq.REQ)
socket.setsockopt(zmq.RCVTIMEO, 5000)
socket.setsockopt(zmq.LINGER, 0)
public, secret = zmq.curve_keypair()              # the client's own long-term key pair
socket.curve_publickey = public
socket.curve_secretkey = secret
socket.curve_serverkey = b"${key}"   # Z85: the server's public key
socket.connect("tcp://${hostPort(host, ports.curve)}")
socket.send(b"Hello")
print(socket.recv())`,
      note: 'Encryption inside ZMTP: no SSH account, but the client must know the server’s public key beforehand. With a wrong key the handshake fails and recv() times out.',
    },
    {
      name: 'Node zeromq',
      code: `// npm install zeromq@6   (ships a prebuilt libzmq)
const zmq = require("zeromq");

(async () => {
  const socket = new zmq.Request({ receiveTimeout: 15000 });
  socket.connect("tcp://${hostPort(host, ports.rep)}");
  for (let request = 1; request <= 10; request++) {
    console.log("Sending request", request, "...");
    await socket.send("Hello");
    const [message] = await socket.receive();
    console.log("Received reply", request, "[", message.toString(), "]");
  }
  socket.close();
})();`,
    },
  ];
}
