import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** External clients the tests drive, and the Debian packages that provide each (.ci/run installs them; swaks needs the Perl TLS modules for STARTTLS). */
const PACKAGES = { ssh: 'openssh-client', sftp: 'openssh-client', scp: 'openssh-client', curl: 'curl', lftp: 'lftp', python3: 'python3', tshark: 'tshark', capinfos: 'tshark', swaks: 'swaks libnet-ssleay-perl libio-socket-ssl-perl', openssl: 'openssl' } as const;

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

/** Debian's packages for pyzmq and paramiko (zmq.ssh.tunnel_connection uses it). */
const PYZMQ_PACKAGES = 'python3-zmq python3-paramiko';
/** Debian's package for zeep (the Python SOAP client the WS-Policy lab's tests call the provider with). */
const ZEEP_PACKAGE = 'python3-zeep';
const pythons = new Map<string, Promise<string>>();

/** Whether `python` runs `code` without error (asynchronously: the lab under test shares this process). */
function runsWithoutError(python: string, code: string): Promise<boolean> {
  return new Promise((resolve) => execFile(python, ['-c', code], { timeout: 20_000 }, (err) => resolve(err === null)));
}

/**
 * A python3 that runs `imports`: the first on PATH that does, else Debian's /usr/bin/python3 (a pyenv
 * python3 on PATH may lack the modules). None is a failure naming `packages`, never a skip. Probed once
 * per process, and asynchronously: a synchronous probe froze the lab the test had started in this process.
 */
function pythonThatImports(imports: string, what: string, packages: string): Promise<string> {
  const known = pythons.get(imports);
  if (known) return known;
  const found = (async () => {
    const candidates = [...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'python3')), '/usr/bin/python3'];
    for (const candidate of new Set(candidates)) {
      if (fs.existsSync(candidate) && (await runsWithoutError(candidate, imports))) return candidate;
    }
    throw new Error(`No python3 here imports ${what}: install the Debian package${packages.includes(' ') ? 's' : ''} ${packages} (.ci/run does: apt-get install ${packages})`);
  })();
  pythons.set(imports, found);
  return found;
}

/** A python3 that imports zmq and paramiko. */
export const pythonWithZmq = (): Promise<string> => pythonThatImports('import zmq, paramiko', 'zmq and paramiko', PYZMQ_PACKAGES);

/** A python3 that imports zeep. */
export const pythonWithZeep = (): Promise<string> => pythonThatImports('import zeep, zeep.wsa', 'zeep', ZEEP_PACKAGE);
