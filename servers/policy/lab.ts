/**
 * The WS-Policy lab (issue 11): the Orders provider mounted on the SOAP lab's service host at /soap/orders,
 * behind the SOAP lab's tap, and a policy-driven client per sandbox that calls it through the same tap. It has
 * no public port of its own: its RunningLab carries the SOAP lab's tap (see `tap` below), so its page's step
 * mode and default console are the SOAP lab's, where its traffic is. It needs the SOAP lab running first.
 */
import { policyScriptedFaults } from './scripted-faults.ts';
import { z } from 'zod';
import type { LabContext, LabModule, RunningLab } from '../daemon/lab.ts';
import type { SoapRunningLab } from '../soap/lab.ts';
import { sendThroughTap } from '../soap/lab/http-client.ts';
import { policyAbout } from './about.ts';
import { PolicyClient } from './lab/client.ts';
import { POLICY_CLIENT_LABEL } from './lab/contracts.ts';
import { ORDERS_PATH } from './lab/ns.ts';
import { OrdersProvider } from './lab/provider.ts';
import { policyRoutes } from './lab/routes.ts';

/** GET /api/lab → policy. */
export interface PolicyInfo {
  endpoint: string;
  wsdl: string;
  /** The SOAP lab's public port, which carries this lab's traffic. */
  port: number;
}

// The host name part of a Host header safe to write into a WSDL address (as servers/soap does).
const SAFE_HOST = /^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:\d{1,5})?$/;
/** Most sandboxes with a client at once; the oldest is forgotten beyond (classroom use, memory bound). */
const MAX_CLIENTS = 500;

const isSoapLab = (lab: RunningLab): lab is SoapRunningLab => lab.protocol === 'soap' && 'mountService' in lab;

async function startPolicyLab(ctx: LabContext<Record<string, never>>): Promise<RunningLab<PolicyInfo>> {
  const soap = ctx.labs?.find(isSoapLab);
  if (!soap) throw new Error('The WS-Policy lab needs the SOAP lab (its provider lives on the SOAP service host): start SOAP first.');
  const { config } = ctx;
  const tap = soap.tap;
  const publicHost = () => `${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${tap.port}`;
  const provider = new OrdersProvider({
    sandboxOf: (remotePort) => tap.byUpstreamPort(remotePort)?.recorder.info.sandbox ?? config.sandbox,
    location: (host) => `http://${SAFE_HOST.exec(host ?? '')?.[1] ?? publicHost().split(':')[0]}:${tap.port}${ORDERS_PATH}`,
    note: ({ remotePort, text, title, ref, level }) => {
      tap.byUpstreamPort(remotePort)?.recorder.note(text, { key: 'policy.provider', title, explain: text, ref, level }, 'endpoint');
    },
  });
  const scripted = policyScriptedFaults({ faults: ctx.faults, provider, tap });
  const unmount = soap.mountService(ORDERS_PATH, scripted.handle);
  const clients = new Map<string, PolicyClient>();
  const clientOf = (sandbox: string) => {
    let client = clients.get(sandbox);
    if (!client) {
      if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value ?? '');
      client = new PolicyClient({ publicHost, send: (request, owner) => sendThroughTap(tap, request, owner, 20_000, POLICY_CLIENT_LABEL) });
      clients.set(sandbox, client);
    }
    return client;
  };
  return {
    protocol: 'policy',
    // No port of its own: the SOAP lab's tap carries every exchange of this lab, so step mode and the raw
    // console on this lab's page act on it (RunningLab requires a tap; sharing it needs no daemon change).
    tap,
    endpoints: [],
    openConsole: (io, kind) => (soap.openConsole ? soap.openConsole(io, kind) : null),
    routes: policyRoutes({ provider, clientOf, sandboxes: ctx.sandboxes, publicHost }),
    info: () => ({ endpoint: `http://${publicHost()}${ORDERS_PATH}`, wsdl: `http://${publicHost()}${ORDERS_PATH}?wsdl`, port: tap.port }),
    faults: scripted.actions,
    // After its armings were disarmed: putting the RM offer back made the provider's state anew.
    forgetSandbox: (sandbox) => {
      provider.forget(sandbox);
      clients.delete(sandbox);
    },
    stop: async () => {
      unmount();
      clients.clear();
    },
  };
}

/** The WS-Policy lab (registered in servers/index.ts). */
export const policyLab: LabModule<'policy', Record<string, never>, PolicyInfo> = {
  about: policyAbout,
  settings: z.object({}).transform((): Record<string, never> => ({})),
  requires: ['soap'],
  start: startPolicyLab,
};
