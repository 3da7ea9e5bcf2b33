'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useLabSocket } from '@/components/lab/lab-socket';
import { soapApi, type MailRequestBody, type MailTable } from './api';

/** A request for POST /api/soap/mail. */
export type MailRequestInput = MailRequestBody;

/**
 * The SOAP-over-SMTP client's correlation table (GET /api/soap/mail): refreshed when mail is
 * delivered (live 'mail' events) and polled while requests are outstanding, so timeouts show too.
 */
export function useMailTable(active: boolean) {
  const { subscribe } = useLabSocket();
  const [table, setTable] = useState<MailTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);

  const refresh = useCallback(async () => {
    try {
      setTable(await soapApi.mailTable());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  useEffect(() => {
    void refresh();
    const unsubscribe = subscribe((message) => {
      if (message.type !== 'events' || !message.events.some((e) => e.type === 'mail')) return;
      // The client reads the answer's envelope after the mail event: look again shortly after.
      timers.current.push(setTimeout(() => void refresh(), 120), setTimeout(() => void refresh(), 600));
    });
    return () => {
      unsubscribe();
      timers.current.forEach(clearTimeout);
      timers.current = [];
    };
  }, [refresh, subscribe]);

  const outstanding = table?.rows.some((r) => r.state === 'sending' || r.state === 'pending') ?? false;
  useEffect(() => {
    if (!active || !outstanding) return;
    const timer = setInterval(() => void refresh(), 1000);
    return () => clearInterval(timer);
  }, [active, outstanding, refresh]);

  // A refused send or clear is reported after the refresh that follows it: the refresh's own success clears errors.
  const send = useCallback(
    async (requests: MailRequestInput[]) => {
      const failure = await soapApi.sendMail(requests).then(() => null, (e: Error) => `Not mailed: ${e.message}`);
      await refresh();
      if (failure) setError(failure);
    },
    [refresh],
  );
  const clear = useCallback(async () => {
    const failure = await soapApi.clearMail().then(() => null, (e: Error) => e.message);
    await refresh();
    if (failure) setError(failure);
  }, [refresh]);

  return { table, error, setError, refresh, send, clear };
}
