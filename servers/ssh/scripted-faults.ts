/**
 * The SSH lab's scripted fault (issue 13): ssh.hostkey-change. Armed in a sandbox, each of its next
 * SSH connections (times, or until disarmed) meets new host keys: the lab rotates them — the same
 * action as the Failures tab's "Rotate host key" button — as the connection is accepted, before the
 * server's handshake starts, and marks that connection's transcript. The server has one identity,
 * so the new key is every sandbox's from then on; only the rotation's timing is this sandbox's.
 */
import type { Bus } from '../../lib/bus/bus.ts';
import type { FaultActions, FaultEngine } from '../../lib/faults/engine.ts';
import { faultAnnotation, injectedMark } from '../../lib/faults/injected.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import type { HostKeyInfo } from './lab/host-keys.ts';

const RULE = 'ssh.hostkey-change';

export function sshScriptedFaults(deps: { bus: Bus; faults: FaultEngine; tap: () => Tap | undefined; rotateHostKeys(): HostKeyInfo[] }): { actions: Record<string, FaultActions>; stop(): void } {
  const stop = deps.bus.subscribe((event) => {
    if (event.type !== 'connection.open' || event.connection.protocol !== 'ssh' || event.connection.parent) return;
    const { id, sandbox } = event.connection;
    const fired = deps.faults.fire(RULE, { sandbox, conn: id });
    const rule = deps.faults.rule(RULE);
    if (!fired || !rule) return;
    // Now, while the tap is still accepting: the server this connection is handed to uses the new keys.
    const keys = deps.rotateHostKeys();
    // The recorder is filed once the tap has finished accepting.
    queueMicrotask(() => {
      deps.tap()?.byId(id)?.recorder.record(
        {
          dir: 'note',
          kind: 'note',
          text: `The lab gave the server new host keys before this connection: ${keys.map((k) => `${k.type} ${k.fingerprint}`).join(', ')}.`,
          bytes: 0,
          annotation: faultAnnotation(rule),
          injected: injectedMark(rule),
        },
        'wire',
      );
    });
  });
  return {
    actions: {
      [RULE]: {
        armed: (fault) => (fault.scope.kind === 'connection' ? 'The host key changes before a connection starts: arm it for the sandbox (its next connections), not for one connection.' : undefined),
      },
    },
    stop,
  };
}
