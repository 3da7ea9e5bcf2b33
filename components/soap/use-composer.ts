'use client';

import { useCallback, useEffect, useState } from 'react';
import { fetchJson } from '@/components/lab/use-lab-feed';
import { envelopeQuery, type GeneratedEnvelope, type RawExchange, type SoapVersion } from './api';

/** The HTTP console's request editor: the form fields, the generated envelope and the user's edits. */
export interface Composer {
  operation: string;
  version: SoapVersion;
  year: string;
  month: string;
  delayMs: string;
  envelope: string;
  /** The envelope as generated for the current fields (headers and full HTTP text too). */
  generated: GeneratedEnvelope | null;
  edited: boolean;
  error: string | null;
  set(fields: Partial<Pick<Composer, 'operation' | 'version' | 'year' | 'month' | 'delayMs'>>): void;
  edit(envelope: string): void;
  regenerate(): void;
}

/** Keeps the editor in step with the form: any field change regenerates the envelope (edits are replaced). */
export function useComposer(): Composer {
  const [fields, setFields] = useState({ operation: 'getMonth', version: '1.1' as SoapVersion, year: '2003', month: '1', delayMs: '' });
  const [envelope, setEnvelope] = useState('');
  const [generated, setGenerated] = useState<GeneratedEnvelope | null>(null);
  const [edited, setEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      void fetchJson<GeneratedEnvelope>(`/api/soap/envelope?${envelopeQuery(fields)}`)
        .then((g) => {
          if (stale) return;
          setGenerated(g);
          setEnvelope(g.envelope);
          setEdited(false);
          setError(null);
        })
        .catch((e: Error) => !stale && setError(e.message));
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [fields, generation]);

  return {
    ...fields,
    envelope,
    generated,
    edited,
    error,
    set: useCallback((change) => setFields((f) => ({ ...f, ...change })), []),
    edit: useCallback((text: string) => {
      setEnvelope(text);
      setEdited(true);
    }, []),
    regenerate: useCallback(() => setGeneration((g) => g + 1), []),
  };
}

/** One Send of the HTTP console: in flight, then the daemon's record of the exchange. */
export interface Exchange {
  sending: boolean;
  /** Connection ids that existed when Send was pressed (to spot the new one in the live feed). */
  before: Set<string> | null;
  result: RawExchange | null;
  error: string | null;
}

/** Posts an envelope through the tap (POST /api/soap/http). */
export function useExchange(knownConnections: () => string[]) {
  const [state, setState] = useState<Exchange>({ sending: false, before: null, result: null, error: null });
  const send = useCallback(
    async (body: { envelope: string; version: SoapVersion; operation: string }) => {
      setState({ sending: true, before: new Set(knownConnections()), result: null, error: null });
      try {
        const result = await fetchJson<RawExchange>('/api/soap/http', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        setState({ sending: false, before: null, result, error: result.error ?? null });
        return result;
      } catch (e) {
        setState({ sending: false, before: null, result: null, error: (e as Error).message });
        return null;
      }
    },
    [knownConnections],
  );
  return { ...state, send };
}
