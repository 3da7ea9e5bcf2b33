import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

/** A PEM key and certificate pair for the lab's TLS endpoints (STARTTLS, AUTH TLS). */
export interface TlsIdentity {
  key: string;
  cert: string;
  /** SHA-256 fingerprint as colon-separated hex, to show students what to compare. */
  fingerprint: string;
}

/**
 * Generates the lab's self-signed certificate (EC P-256, for 127.0.0.1, localhost and lab.test).
 * Self-signed on purpose: the lesson shows that clients must be told to trust it (`-k`, `--insecure`).
 */
export async function generateLabCertificate(): Promise<TlsIdentity> {
  const pems = await generate([{ name: 'commonName', value: 'lab.test' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'lab.test' },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, fingerprint: fingerprintOf(pems.cert) };
}

/** SHA-256 fingerprint of a PEM certificate, as `openssl x509 -fingerprint -sha256` prints it. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}
