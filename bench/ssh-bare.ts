/**
 * A second ssh2 server with the SSH lab's options (servers/ssh/lab.ts) minus `admit`: same host keys,
 * sandbox and users, listening on a loopback port of its own. bench:ssh's "direct" path and
 * bench:ssh-layers' server behind each stage of the tap.
 */
import type { LabContext } from '../servers/daemon/lab.ts';
import type { SshSettings } from '../servers/ssh/lab.ts';
import { HostKeys } from '../servers/ssh/lab/host-keys.ts';
import { SshStore } from '../servers/ssh/lab/ssh-store.ts';
import { Jail, sandboxRoot } from '../lib/sandbox/jail.ts';
import { start as startSshServer } from '../servers/ssh/index.ts';

export async function startBareSsh(ctx: LabContext<SshSettings>, forwardPorts: () => number[] = () => []) {
  const store = new SshStore(ctx.db);
  return startSshServer({
    host: '127.0.0.1',
    port: 0,
    hostKeys: (await HostKeys.load(ctx.secrets)).privateKeys,
    jail: await Jail.open(sandboxRoot(ctx.config.dataDir, ctx.config.sandbox), { quotaBytes: ctx.config.sandboxQuotaBytes }),
    credentials: ctx.credentials,
    authorizedKeys: () => store.authorizedKeys(ctx.config.sandbox).map((k) => k.line),
    forwardPorts,
    hostname: 'lab',
    limits: ctx.config.ssh.loginGraceMs ? { loginGraceMs: ctx.config.ssh.loginGraceMs } : undefined,
  });
}
