import { describe, expect, it } from 'vitest';
import { tunnelLocalPort, zmqRecipes } from './recipes';

const ports = (base: number) => ({ rep: base, pub: base + 1, push: base + 2, pull: base + 3, pair: base + 4, curve: base + 5 });

describe('zmqRecipes', () => {
  it("moves the seed's tunnel port 5557 off every default-configured lab's ZeroMQ ports, and off this lab's", () => {
    // Default ZMQ_BASE_PORT 5555: 5557 is the PUSH port, ssh -L could not bind it; a second lab on moved ports beside
    // a default one would send its students' tunnels to the other lab's PUSH socket.
    expect(tunnelLocalPort(ports(5555), 2222)).toBe(15557);
    expect(tunnelLocalPort(ports(40000), 2222)).toBe(15557);
    expect(tunnelLocalPort(ports(15555), 2222)).toBe(25557);
    expect(tunnelLocalPort(ports(40000), 15557)).toBe(25557);
  });

  it('fills in the lab’s real ports, key and login', () => {
    const recipes = zmqRecipes({ host: '127.0.0.1', ports: ports(40000), curveServerKey: 'K'.repeat(40), ssh: { port: 2222, user: 'student', password: 'pw' } });
    const code = (name: string) => recipes.find((r) => r.name === name)?.code ?? '';
    expect(code('pyzmq · REQ (the seed)')).toContain('tcp://127.0.0.1:40000');
    expect(code('ssh -L, then pyzmq')).toContain('ssh -N -L 127.0.0.1:15557:127.0.0.1:40000 student@127.0.0.1 -p 2222');
    expect(code('pyzmq · tunnel_connection')).toContain('"tcp://127.0.0.1:40000", "student@127.0.0.1:2222"');
    expect(code('pyzmq · CURVE')).toContain(`b"${'K'.repeat(40)}"`);
    expect(code('Node zeromq')).toContain('tcp://127.0.0.1:40000');
  });
});
