'use client';

import { useEffect, useState } from 'react';
import type { LabInfoReply } from '@/servers/daemon/lab.ts';
import type { LabInfoMap } from '@/servers/index.ts';
import { useSecretLogin } from './secrets';
import { fetchJson } from './use-lab-feed';

/** GET /api/lab: credentials, ports and fingerprints shown on the lab pages, and each running lab's info. */
export type LabInfo = LabInfoReply;

export function useLabInfo(): LabInfo | null {
  const [info, setInfo] = useState<LabInfo | null>(null);
  useEffect(() => {
    void fetchJson<LabInfo>('/api/lab').then(setInfo).catch(() => setInfo(null));
  }, []);
  useSecretLogin(info?.user, info?.password);
  return info;
}

/** One lab's block of GET /api/lab, typed by that lab's info() (null until it answers or if the lab is not running). */
export function labInfoOf<Id extends keyof LabInfoMap>(info: LabInfo | null, lab: Id): LabInfoMap[Id] | null {
  const labs: Partial<LabInfoMap> | undefined = info ?? undefined;
  return labs?.[lab] ?? null;
}

/** The public port of a lab server, or its documented default until /api/lab answers. */
export function portOf(info: LabInfo | null, protocol: string, fallback: number): number {
  return info?.servers.find((s) => s.protocol === protocol)?.port ?? fallback;
}
