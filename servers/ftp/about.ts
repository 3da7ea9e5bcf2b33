import type { LabAbout } from '../../lib/labs/about.ts';

/** The FTP & FTPS lab as the nav, the home page and README's port table show it. */
export const ftpAbout = {
  id: 'ftp',
  title: 'FTP & FTPS',
  tagline: 'Two channels, active vs passive, and what TLS hides from an eavesdropper.',
  topics: ['PASV/PORT', 'firewalls', 'AUTH TLS', 'FTPS vs SFTP'],
  live: true,
  ports: [{ env: 'FTP_PORT', default: 2121, what: 'FTP control channel (explicit FTPS via AUTH TLS)' }],
  settings: [
    // RFC 959 §3.2: the lab advertises one of these per PASV/EPSV.
    { env: 'FTP_PASV_RANGE', default: '30000-30009', what: 'public passive data ports' },
    { env: 'FTP_MAX_FILE_SIZE', default: 209715200, what: 'largest upload per file' },
  ],
} as const satisfies LabAbout;
