import type { ReactNode } from 'react';

/** A short teaching box: a heading, a few paragraphs, the sources. */
export function Explain(props: { title: string; refs?: string; children: ReactNode; testId?: string }) {
  return (
    <section className="space-y-1.5 rounded border border-slate-800 bg-slate-950/40 p-3 text-sm text-slate-300" data-testid={props.testId}>
      <h3 className="font-semibold text-slate-100">{props.title}</h3>
      {props.children}
      {props.refs && <p className="text-xs text-slate-400">{props.refs}</p>}
    </section>
  );
}

/** Why a SUB that connects after the PUB started misses the first messages. */
export function SlowJoiner() {
  return (
    <Explain title="The slow joiner" refs="ZMTP RFC 37 §4.2 (filtering at the publisher), §3.8 (READY)" testId="slow-joiner">
      <p>
        A PUB filters on its own side: it sends a message only to peers whose <code>SUBSCRIBE</code> it has already
        received, and drops the rest. It keeps no backlog for subscribers it does not know yet.
      </p>
      <p>
        A SUB that connects late first needs a TCP connection, the greeting, <code>READY</code> both ways and then its{' '}
        <code>SUBSCRIBE</code>. Everything published before that command arrived is gone for it. In the console, the
        first topic the SUB receives always comes after its <code>SUBSCRIBE</code> line, never before.
      </p>
      <p className="text-slate-400">
        If every message matters, wait until the subscription has arrived (for example, a REQ/REP exchange first), or
        use PUSH/PULL, which queues.
      </p>
    </Explain>
  );
}

/** Why the seed's server binds 127.0.0.1 once the tunnel exists, and how CURVE compares. */
export function TunnelWhy({ repPort }: { repPort: number }) {
  return (
    <div className="space-y-3">
      <Explain title="Why the server then binds 127.0.0.1" refs="ZMTP RFC 37 §3.5, §3.8 (NULL: no authentication, no confidentiality); RFC 4254 §7.2 (direct-tcpip)" testId="tunnel-why">
        <p>
          With the NULL mechanism, ZMTP sends <code>Hello</code> and <code>World</code> as they are, and anyone who
          reaches the port may talk to the REP. The seed therefore changes System A from <code>tcp://*:5556</code> to{' '}
          <code>tcp://127.0.0.1:5556</code>: only programs on that host can connect.
        </p>
        <p>
          The SSH server runs on that host, so the tunnel’s exit is local. <code>ssh -L</code> asks it for a{' '}
          <code>direct-tcpip</code> channel to 127.0.0.1:{repPort}. To use the REP, a client must now first log in with
          SSH. Between the hosts, only SSH packets travel: encrypted and protected by a MAC.
        </p>
      </Explain>
      <Explain title="Compared with CURVE" refs="ZeroMQ RFC 26 §2.7; ZMTP RFC 25 §3" testId="curve-compare">
        <p>
          CURVE encrypts inside ZMTP. After the greeting, <code>HELLO</code>, <code>WELCOME</code>,{' '}
          <code>INITIATE</code> and <code>READY</code> set up short-term keys. Every message is then a{' '}
          <code>MESSAGE</code> command that only the two peers can open. No SSH account and no second server are needed.
        </p>
        <p>
          The client must know the server’s public key beforehand, from a source it trusts, just as an SSH client must
          know the host key. The server can still bind to every interface. In both cases an eavesdropper still sees
          packet sizes and timing.
        </p>
      </Explain>
    </div>
  );
}
