/**
 * zeep (Debian python3-zeep), a real SOAP client, reads the Orders WSDL and calls placeOrder. zeep sends
 * WS-Addressing by itself when the WSDL declares wsam:Action on an operation's input (ours does), and the call
 * succeeds; its WsAddressingPlugin on top sends every header twice, which the provider must fault
 * (wsa:InvalidAddressingHeader / InvalidCardinality, WS-Addressing 1.0 SOAP Binding §3.2.2); with those actions
 * forgotten inside zeep it sends none, and the provider, whose policy requires wsam:Addressing, answers
 * wsa:MessageAddressingHeaderRequired (§6.4.2). RM is dropped from the provider's policy first: zeep has no
 * WS-RM, and RM's own fault would come next otherwise.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyContracts as c } from '../../servers/policy/lab/contracts.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { pythonWithZeep } from '../helpers/tools.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
  await lab.api(c.provider, { body: { addressing: true, rm: 'none', empty: false } });
});
afterAll(async () => {
  await lab?.stop();
});

const SCRIPT = `
import sys, zeep
from zeep.wsa import WsAddressingPlugin
client = zeep.Client(sys.argv[1], plugins=[WsAddressingPlugin()] if sys.argv[2] == 'plugin' else [])
if sys.argv[2] == 'plain':
    # zeep adds WS-Addressing by itself for operations whose WSDL input declares wsam:Action (ours do):
    # forget those actions to send what a client without WS-Addressing sends.
    for op in client.service._binding._operations.values():
        op.abstract.wsa_action = None
try:
    r = client.service.placeOrder(item='book', quantity=2)
    print('OK', r.orderId, r.status)
except zeep.exceptions.Fault as f:
    print('FAULT', f.code, ' '.join(q.text if hasattr(q, 'text') else str(q) for q in (f.subcodes or [])), '|', f.message)
`;

/** Runs zeep against the WSDL (async: the daemon answering it runs in this process). */
async function zeep(mode: 'wsdl' | 'plugin' | 'plain'): Promise<string> {
  const python = await pythonWithZeep();
  return new Promise((resolve, reject) => {
    execFile(python, ['-c', SCRIPT, `http://127.0.0.1:${lab.port('soap')}/soap/orders?wsdl`, mode], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(stdout.trim());
    });
  });
}

describe('zeep against the Orders provider', () => {
  it('calls placeOrder with the WS-Addressing headers the WSDL\'s wsam:Action makes it send', async () => {
    expect(await zeep('wsdl')).toMatch(/^OK ORD-\S+ placed$/);
  });

  it('with its WS-Addressing plugin on top sends each header twice and gets wsa:InvalidCardinality', async () => {
    const out = await zeep('plugin');
    expect(out).toMatch(/^FAULT /);
    expect(out).toContain('InvalidAddressingHeader');
    expect(out).toContain('InvalidCardinality');
  });

  it('without the plugin gets wsa:MessageAddressingHeaderRequired', async () => {
    const out = await zeep('plain');
    expect(out).toMatch(/^FAULT /);
    expect(out).toContain('MessageAddressingHeaderRequired');
  });
});
