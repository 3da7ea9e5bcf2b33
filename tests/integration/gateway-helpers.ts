/**
 * What the access-control tests share: curl (a real external client) against the lab's public
 * port, as a user by HTTP Basic or X-Api-Key, and the demo model's ids by name.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tool } from '../helpers/tools.ts';
import { TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { accessContracts, type AccessModel } from '../../servers/gateway/lab/contracts.ts';

const run = promisify(execFile);

export interface CurlReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type As = { user: string; password?: string } | { apiKey: string } | null;

/** One request with curl (async: the daemon answering it runs in this process). */
export async function curl(lab: TestLab, method: string, path: string, as: As, body?: { type: string; text: string; soapAction?: string }): Promise<CurlReply> {
  const args = ['-s', '-i', '-X', method, `http://127.0.0.1:${lab.port('gateway')}${path}`];
  if (as && 'user' in as) args.push('-u', `${as.user}:${as.password ?? TEST_PASSWORD}`);
  if (as && 'apiKey' in as) args.push('-H', `X-Api-Key: ${as.apiKey}`);
  if (body) {
    args.push('-H', `Content-Type: ${body.type}`, '--data-binary', body.text);
    if (body.soapAction) args.push('-H', `SOAPAction: "${body.soapAction}"`);
  }
  const { stdout } = await run(tool('curl'), args, { timeout: 20_000 });
  const [head, ...rest] = stdout.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(lines[0])?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: rest.join('\r\n\r\n') };
}

/** The model of the test daemon's sandbox, with lookups by name. */
export async function demoModel(lab: TestLab): Promise<AccessModel & { id(kind: 'users' | 'products' | 'communities' | 'clubs' | 'features', name: string): number }> {
  const model = await lab.api(accessContracts.model);
  return {
    ...model,
    id(kind, name) {
      const found = (model[kind] as { id: number; name: string }[]).find((row) => row.name === name);
      if (!found) throw new Error(`no ${kind} named ${name}`);
      return found.id;
    },
  };
}
