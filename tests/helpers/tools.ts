import { spawnSync } from 'node:child_process';
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
let pyzmqPython: string | undefined;

/**
 * A python3 that imports zmq and paramiko: the first on PATH that does, else Debian's /usr/bin/python3
 * (a pyenv python3 on PATH may lack both). None is a failure naming the packages, never a skip.
 */
export function pythonWithZmq(): string {
  if (pyzmqPython) return pyzmqPython;
  const candidates = [...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'python3')), '/usr/bin/python3'];
  for (const candidate of new Set(candidates)) {
    if (!fs.existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['-c', 'import zmq, paramiko'], { stdio: 'ignore', timeout: 20_000 });
    if (probe.status === 0) return (pyzmqPython = candidate);
  }
  throw new Error(`No python3 here imports zmq and paramiko: install the Debian packages ${PYZMQ_PACKAGES} (.ci/run does: apt-get install ${PYZMQ_PACKAGES})`);
}

/** Debian's package for zeep (the Python SOAP client the WS-Policy lab's tests call the provider with). */
const ZEEP_PACKAGE = 'python3-zeep';
let zeepPython: string | undefined;

/** A python3 that imports zeep (first on PATH, else Debian's /usr/bin/python3); none is a failure naming the package. */
export function pythonWithZeep(): string {
  if (zeepPython) return zeepPython;
  const candidates = [...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'python3')), '/usr/bin/python3'];
  for (const candidate of new Set(candidates)) {
    if (!fs.existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['-c', 'import zeep, zeep.wsa'], { stdio: 'ignore', timeout: 20_000 });
    if (probe.status === 0) return (zeepPython = candidate);
  }
  throw new Error(`No python3 here imports zeep: install the Debian package ${ZEEP_PACKAGE} (.ci/run does: apt-get install ${ZEEP_PACKAGE})`);
}
