import type { Daemon } from './daemon.ts';
import { LAB_USER } from './config.ts';
import { isWildcardAddress, machineAddresses } from '../../lib/http/host-guard.ts';

/** On a classroom LAN bind: the addresses students open, and that the bind is the teacher's choice. */
function lanLines(host: string, webPort: number): string[] {
  if (!isWildcardAddress(host)) return [];
  const lan = machineAddresses().filter((address) => !address.startsWith('127.') && address !== '::1' && !address.startsWith('fe80'));
  return [
    `  Classroom LAN (LAB_HOST=${host}): students open ${lan.map((a) => `http://${a.includes(':') ? `[${a}]` : a}:${webPort}/join`).join('  ') || '(no LAN address found)'}`,
    '  Every port below is reachable from the network: stop the lab or unset LAB_HOST after class.',
  ];
}

/** Prints where everything listens and the lab credentials, once at start. */
export function printBanner(daemon: Daemon, mode: 'web' | 'daemon'): void {
  const { config } = daemon;
  const endpoints = daemon.labs.flatMap((lab) => lab.endpoints);
  const width = Math.max(...endpoints.map((e) => e.name.length)) + 2;
  const lines = [
    '',
    `  Protocol Lab is running${mode === 'web' ? ` — open http://localhost:${config.webPort}` : ` (headless, API on :${config.webPort})`}`,
    ...lanLines(config.host, config.webPort),
    '',
    ...endpoints.map((e) => `  ${e.name.padEnd(width)} ${e.host}:${e.port}`),
    '',
    `  Lab login: ${LAB_USER} / ${daemon.password}${config.password ? '' : '   (set LAB_PASSWORD to choose your own)'}`,
    `  Teacher:   token ${daemon.teacherToken}${config.teacherToken ? '' : '   (set LAB_TEACHER_TOKEN to choose your own)'} — sign in on /teacher`,
    `  Data dir:  ${config.dataDir}`,
    '',
  ];
  console.log(lines.join('\n'));
}
