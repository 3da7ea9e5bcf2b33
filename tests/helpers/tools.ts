import fs from 'node:fs';
import path from 'node:path';

/** External clients the tests drive, and the Debian package that provides each (.ci/run installs them). */
const PACKAGES = { ssh: 'openssh-client', sftp: 'openssh-client', curl: 'curl', lftp: 'lftp', python3: 'python3' } as const;

/** An external client a test runs. */
export type Tool = keyof typeof PACKAGES;

/**
 * The absolute path of `name` on PATH. A missing client is a failure that says what to install,
 * never a skip: a machine without OpenSSH would otherwise pass the OpenSSH tests by not running them.
 */
export function tool(name: Tool): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  throw new Error(`${name} is not installed: install the Debian package ${PACKAGES[name]} (.ci/run does: apt-get install ${PACKAGES[name]})`);
}
