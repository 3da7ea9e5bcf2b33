/**
 * Sandbox expiry drops what the running labs keep in memory for an expired sandbox (issue 15): the
 * WS-Policy provider's settings (after the sandbox's armed faults were disarmed), the access-control
 * lab's catalogue and decisions, the SOAP mail client. Another student's state stays. Real labs; the
 * requests name their sandbox in a header, so the test acts for two students.
 */
import { ClientAddressBook } from '../../lib/sandbox/address-book.ts';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultEngine } from '../../lib/faults/engine.ts';
import { forgetSandboxMemory } from '../../servers/daemon/sandbox-expiry.ts';
import type { SandboxPolicy } from '../../servers/daemon/sandboxes.ts';
import { gatewayLab, type GatewayRunningLab } from '../../servers/gateway/lab.ts';
import type { DecisionRecord } from '../../servers/gateway/lab/contracts.ts';
import { policyLab } from '../../servers/policy/lab.ts';
import type { PolicyState } from '../../servers/policy/lab/contracts.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { soapLab, type SoapRunningLab } from '../../servers/soap/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

const sandboxes: SandboxPolicy = {
  ofRequest: (req) => String(req.headers['x-test-sandbox'] ?? 'local'),
  ofConnection: (socket) => socket.own?.sandbox ?? 'local',
  clientSandboxOf: () => 'local',
};

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, soapLab, gatewayLab, policyLab], sandboxes });
});
afterAll(() => lab.stop());

/** The WS-Policy provider's settings of `sandbox`, changed first when `change` is given. */
async function provider(sandbox: string, change?: Record<string, unknown>): Promise<PolicyState['provider']['settings']> {
  const res = await fetch(`${lab.baseUrl}/api/policy/${change ? 'provider' : 'state'}`, {
    method: change ? 'POST' : 'GET',
    headers: { 'x-test-sandbox': sandbox, ...(change ? { 'content-type': 'application/json' } : {}) },
    body: change ? JSON.stringify(change) : undefined,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as PolicyState).provider.settings;
}

describe("an expired sandbox's lab state", () => {
  it('is dropped by every lab, after its faults, and another sandbox keeps its own', async () => {
    const labs = lab.daemon.labs;
    const gateway = labs.find((l) => l.protocol === 'gateway') as GatewayRunningLab;
    const soap = labs.find((l) => l.protocol === 'soap') as SoapRunningLab;
    // The daemon's wiring: the labs' server-side fault actions on the engine that expiry empties first.
    const faults = new FaultEngine();
    for (const running of labs) for (const [rule, actions] of Object.entries(running.faults ?? {})) faults.registerActions(rule, actions);

    const before = new Map<string, { catalogue: unknown; mail: unknown }>();
    for (const sandbox of ['gone', 'kept']) {
      await provider(sandbox, { addressing: false });
      expect(faults.arm(sandbox, { rule: 'policy.drop-rm10' })).toMatchObject({ sandbox });
      gateway.log.add(sandbox, { id: gateway.log.takeId(), conn: `${sandbox}-conn` } as DecisionRecord);
      gateway.decisions.invalidate(sandbox, 'a test change');
      before.set(sandbox, { catalogue: gateway.catalogueOf(sandbox), mail: soap.mailClients.of(sandbox) });
    }
    expect(await provider('gone')).toMatchObject({ addressing: false, rm: '1.1' });

    forgetSandboxMemory({ faults, labs, steps: [], addresses: new ClientAddressBook(), realDataDir: fs.realpathSync(lab.dataDir) }, 'gone');

    expect(faults.armed('gone')).toEqual([]);
    expect(await provider('gone')).toMatchObject({ addressing: true, rm: 'both' });
    expect(gateway.log.recent('gone', 10)).toEqual([]);
    expect(gateway.decisions.changeLog('gone')).toEqual([]);
    expect(gateway.catalogueOf('gone')).not.toBe(before.get('gone')?.catalogue);
    expect(soap.mailClients.of('gone')).not.toBe(before.get('gone')?.mail);

    expect(faults.armed('kept')).toHaveLength(1);
    expect(await provider('kept')).toMatchObject({ addressing: false, rm: '1.1' });
    expect(gateway.log.recent('kept', 10)).toHaveLength(1);
    expect(gateway.decisions.changeLog('kept')).toHaveLength(1);
    expect(gateway.catalogueOf('kept')).toBe(before.get('kept')?.catalogue);
    expect(soap.mailClients.of('kept')).toBe(before.get('kept')?.mail);
  });
});
