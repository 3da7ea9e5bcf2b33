import type { LabAbout } from '../../lib/labs/about.ts';

/** The SSH & SFTP lab as the nav, the home page and README's port table show it. */
export const sshAbout = {
  id: 'ssh',
  title: 'SSH & SFTP',
  tagline: 'The connection in ten steps: version exchange, key exchange, host-key check, login, shell.',
  topics: ['ECDH', 'known_hosts', 'SFTP', 'port forwarding'],
  live: true,
  ports: [{ env: 'SSH_PORT', default: 2222, what: 'SSH and SFTP' }],
  settings: [],
} as const satisfies LabAbout;
