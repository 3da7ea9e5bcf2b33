'use client';

import { bareHost, hostPort } from '@/components/lab/address';
import { OwnClientTab } from '@/components/lab/own-client';
import { portOf, type LabInfo } from '@/components/lab/use-lab-info';
import type { ZmqInfo } from './api';
import { zmqRecipes, type ZmqRecipeTargets } from './recipes';

/** The recipes' targets from GET /api/lab: the lab's real ports, the CURVE key and the SSH login. */
export function recipeTargets(info: LabInfo | null, zmq: ZmqInfo | null, ports: ZmqInfo['ports'], host: string): ZmqRecipeTargets {
  return {
    host,
    ports,
    curveServerKey: zmq?.curveServerKey ?? null,
    ssh: { port: zmq?.ssh?.port ?? portOf(info, 'ssh', 2222), user: info?.user ?? zmq?.ssh?.user ?? 'student', password: info?.password ?? 'LAB_PASSWORD' },
  };
}

/** The "Own client" tab: the seed's pyzmq scripts and the tunnels with this lab's ports, and the facts they need. */
export function ZmqOwnClient(props: { info: LabInfo | null; zmq: ZmqInfo | null; ports: ZmqInfo['ports']; host: string }) {
  const t = recipeTargets(props.info, props.zmq, props.ports, props.host);
  const tcp = (port: number) => `tcp://${hostPort(t.host, port)}`;
  const facts: [string, string][] = [
    ['REP (the seed’s System A)', tcp(t.ports.rep)],
    ['PUB', `${tcp(t.ports.pub)}  topics ${(props.zmq?.topics ?? []).join(', ') || '…'}`],
    ['PUSH (tasks) · PULL (results)', `${tcp(t.ports.push)} · ${tcp(t.ports.pull)}`],
    ['PAIR', tcp(t.ports.pair)],
    ['CURVE REP', tcp(t.ports.curve)],
    ['CURVE server key (Z85)', t.curveServerKey ?? '…'],
    ['SSH for tunnels', `${t.ssh.user}@${bareHost(t.host)} -p ${t.ssh.port}, password ${t.ssh.password}`],
  ];
  return (
    <OwnClientTab
      recipes={zmqRecipes(t)}
      facts={facts}
      testId="zmq-facts"
      footnote="Every connection your client makes goes through the lab’s taps and appears live under Connections in each pattern’s tab; a tunnelled one appears under its SSH connection."
    />
  );
}
