/** The labs shown on the home page and in the navigation; `live` ones have a page. */
export interface LabEntry {
  slug: string;
  name: string;
  tagline: string;
  topics: string[];
  live: boolean;
}

export const LABS: LabEntry[] = [
  {
    slug: 'smtp',
    name: 'SMTP',
    tagline: 'Type EHLO, MAIL FROM, RCPT TO and DATA by hand and watch every reply explained.',
    topics: ['reply codes', 'ESMTP extensions', 'STARTTLS', 'open relays'],
    live: true,
  },
  {
    slug: 'ssh',
    name: 'SSH & SFTP',
    tagline: 'The connection in ten steps: version exchange, key exchange, host-key check, login, shell.',
    topics: ['ECDH', 'known_hosts', 'SFTP', 'port forwarding'],
    live: true,
  },
  {
    slug: 'ftp',
    name: 'FTP & FTPS',
    tagline: 'Two channels, active vs passive, and what TLS hides from an eavesdropper.',
    topics: ['PASV/PORT', 'firewalls', 'AUTH TLS', 'FTPS vs SFTP'],
    live: true,
  },
  {
    slug: 'soap',
    name: 'SOAP',
    tagline: 'Envelopes over HTTP with WSDL, and over SMTP with Message-ID correlation.',
    topics: ['WSDL', 'faults', 'SOAP 1.1 vs 1.2', 'SMTP binding'],
    live: true,
  },
  {
    slug: 'zmq',
    name: 'ZeroMQ',
    tagline: 'ZMTP greetings and frames, socket patterns, and a tunnel through SSH.',
    topics: ['REQ/REP', 'PUB/SUB', 'ZMTP 3.1', 'SSH tunnel'],
    live: false,
  },
];
