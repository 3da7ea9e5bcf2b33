'use client';

import { useEffect, useState } from 'react';
import { sshApi, type HostKey } from './api';

/**
 * The server's host keys (GET /api/ssh/host-keys), read again whenever `freshness` changes. The page
 * passes its refresh counter and the newest connection: a rotation (the Failures tab, or the
 * ssh.hostkey-change fault, which acts as a connection opens) is followed at once, so no tab that
 * asks the student to compare fingerprints shows a key the server no longer has.
 */
export function useHostKeys(freshness: string): { keys: HostKey[] | null; error: string | null } {
  const [keys, setKeys] = useState<HostKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stale = false;
    sshApi.hostKeys().then(
      (r) => {
        if (stale) return;
        setKeys(r.keys);
        setError(null);
      },
      (e: Error) => !stale && setError(`Could not read the server's host keys: ${e.message}`),
    );
    return () => {
      stale = true;
    };
  }, [freshness]);
  return { keys, error };
}
