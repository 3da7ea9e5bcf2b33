import type { LabAbout } from '../../lib/labs/about.ts';

/** The SSH & SFTP lab as the nav, the home page and README's port table show it. */
export const sshAbout = {
  id: 'ssh',
  title: 'SSH & SFTP',
  tagline: 'The connection in ten steps: version exchange, key exchange, host-key check, login, shell.',
  topics: ['ECDH', 'known_hosts', 'SFTP', 'port forwarding'],
  live: true,
  ports: [{ env: 'SSH_PORT', default: 2222, what: 'SSH and SFTP' }],
  settings: [{ env: 'SSH_MAX_STARTUPS', default: 10, what: "connections in key exchange and login at once; more wait their turn (OpenSSH's MaxStartups, queued instead of refused)" }],
} as const satisfies LabAbout;
