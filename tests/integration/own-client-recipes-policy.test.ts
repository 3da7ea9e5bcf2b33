/**
 * The WS-Policy page's "Use your own client" recipes, run for real as a student would paste them: curl posting
 * the WS-MEX GetMetadata envelope and GETting ?wsdl, and Python zeep (Debian's python3-zeep) without and with
 * its WS-Addressing plugin, against a test lab's Orders provider under the policy the page's admin sets.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { policyRecipes, type PolicyRecipeTargets } from '../../components/policy/recipes.ts';
import { policyContracts as c } from '../../servers/policy/lab/contracts.ts';
import type { PolicyInfo } from '../../servers/policy/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { pythonWithZeep, tool } from '../helpers/tools.ts';

let lab: TestLab;
let work: string;
let targets: PolicyRecipeTargets;
beforeAll(async () => {
  lab = await startTestLab();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-recipes-'));
  const { policy } = await lab.api<{ policy: PolicyInfo }>('/api/lab');
  targets = { endpoint: policy.endpoint, wsdl: policy.wsdl };
});
afterAll(async () => {
  await lab?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await lab.api(c.provider, { body: { addressing: true, rm: 'both', empty: false } });
});

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: work, timeout: 40_000, env: { ...process.env, HOME: work } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

function recipe(name: string): string {
  const found = policyRecipes(targets).find((r) => r.name === name);
  if (!found) throw new Error(`no recipe called ${name}`);
  return found.code;
}

/** A shell recipe as pasted into bash, with the curl the test machine has (a missing one fails, naming the package). */
const shell = (code: string) => run('/bin/bash', ['-c', code.replace(/^curl /gm, `${tool('curl')} `)]);
const zeep = async (code: string) => run(await pythonWithZeep(), ['-c', code]);

describe("the WS-Policy page's own-client recipes", () => {
  it('curl GetMetadata: one WSDL MetadataSection relating to the request, its policies inline', async () => {
    const r = await shell(recipe('curl · GetMetadata (WS-MEX)'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('<wsa:Action>http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Response</wsa:Action>');
    expect(r.stdout).toContain('<wsa:RelatesTo>urn:uuid:6b1f4a52-0c3e-4d7a-9e1b-2f5c8d9a0b11</wsa:RelatesTo>');
    expect(r.stdout).toMatch(/<mex:MetadataSection Dialect="http:\/\/schemas\.xmlsoap\.org\/wsdl\/"[^>]*><wsdl:definitions/);
    expect(r.stdout).toContain('<wsp:Policy wsu:Id="ReliableMessagingPolicy">');
    // The address in the WSDL is the endpoint the recipe names (the tap's public port).
    expect(r.stdout).toContain(`location="${targets.endpoint}"`);
  });

  it('curl GET ?wsdl: the same policies, and the admin switches show in it live', async () => {
    const before = await shell(recipe('curl · GET ?wsdl'));
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain('<wsrm10p:RMAssertion>');
    await lab.api(c.provider, { body: { rm: '1.1' } });
    const after = await shell(recipe('curl · GET ?wsdl'));
    expect(after.stdout).toContain('<wsrmp:RMAssertion>');
    expect(after.stdout).not.toContain('<wsrm10p:RMAssertion>');
  });

  it('zeep: MessageAddressingHeaderRequired without WS-Addressing, WSRMRequired with it while RM is offered', async () => {
    const r = await zeep(recipe('Python zeep + WS-Addressing'));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^without WS-Addressing → fault soap:Sender \['MessageAddressingHeaderRequired'\]/);
    expect(lines[1]).toMatch(/^with WS-Addressing → fault soap:Sender \['WSRMRequired'\] The RM Destination requires the use of WSRM/);
  });

  it('zeep with WS-Addressing succeeds once the provider drops RM, as the recipe says', async () => {
    await lab.api(c.provider, { body: { rm: 'none' } });
    const r = await zeep(recipe('Python zeep + WS-Addressing'));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^without WS-Addressing → fault soap:Sender \['MessageAddressingHeaderRequired'\]/);
    expect(lines[1]).toMatch(/^with WS-Addressing → \{'orderId': 'ORD-/);
    expect(lines[1]).toContain("'status': 'placed'");
  });
});
