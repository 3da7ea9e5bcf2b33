'use client';

import { useEffect, useState } from 'react';
import { fetchJson } from './use-lab-feed';

/** GET /api/lab: credentials, ports and fingerprints shown on the lab pages. */
export interface LabInfo {
  sandbox: string;
  host: string;
  user: string;
  password: string;
  tls: { fingerprint: string };
  servers: { protocol: string; name: string; host: string; port: number }[];
  smtp?: { maxSize: number; domains: string[] };
  [lab: string]: unknown;
}

export function useLabInfo(): LabInfo | null {
  const [info, setInfo] = useState<LabInfo | null>(null);
  useEffect(() => {
    void fetchJson<LabInfo>('/api/lab').then(setInfo).catch(() => setInfo(null));
  }, []);
  return info;
}

/** The public port of a lab server, or its documented default until /api/lab answers. */
export function portOf(info: LabInfo | null, protocol: string, fallback: number): number {
  return info?.servers.find((s) => s.protocol === protocol)?.port ?? fallback;
}
