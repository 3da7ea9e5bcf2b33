'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { envelopeQuery, soapApi, type GeneratedEnvelope, type RawExchange, type SoapVersion } from './api';
import { thinkTimeProblem } from './format';

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
  /** The clean envelope for the fields as shown now, generated at once if the editor lags behind them. */
  fresh(): Promise<GeneratedEnvelope>;
  /** What Send must send: the editor's text (edits included) when it belongs to the fields shown, else `fresh()`. */
  current(): Promise<string>;
}

/**
 * Keeps the editor in step with the form: any field change regenerates the envelope (edits are
 * replaced) after a short pause for typing. Send and the fault presets do not wait for that pause:
 * they ask `current()` / `fresh()`, which generate at once for the fields on screen.
 */
export function useComposer(): Composer {
  const [fields, setFields] = useState({ operation: 'getMonth', version: '1.1' as SoapVersion, year: '2003', month: '1', delayMs: '' });
  const [envelope, setEnvelope] = useState('');
  const [generated, setGenerated] = useState<GeneratedEnvelope | null>(null);
  const [edited, setEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  // The query (fields) the editor's envelope was generated for; null forces a regeneration.
  const madeFor = useRef<string | null>(null);
  const latest = useRef<GeneratedEnvelope | null>(null);

  const adopt = useCallback((query: string, g: GeneratedEnvelope) => {
    madeFor.current = query;
    latest.current = g;
    setGenerated(g);
    setEnvelope(g.envelope);
    setEdited(false);
    setError(null);
  }, []);

  useEffect(() => {
    // Said in the form's words before the API would refuse it in its own ("delayMs: Too big").
    const think = thinkTimeProblem(fields.delayMs);
    if (think) return setError(`Not sent: ${think}.`);
    const query = envelopeQuery(fields);
    if (madeFor.current === query) return; // Send or a preset already generated it
    let stale = false;
    const timer = setTimeout(() => {
      void soapApi
        .envelope(fields)
        .then((g) => {
          if (!stale && madeFor.current !== query) adopt(query, g);
        })
        .catch((e: Error) => !stale && setError(e.message));
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [fields, generation, adopt]);

  const fresh = async (): Promise<GeneratedEnvelope> => {
    const think = thinkTimeProblem(fields.delayMs);
    if (think) throw new Error(`Not sent: ${think}.`);
    const query = envelopeQuery(fields);
    if (madeFor.current === query && latest.current) return latest.current;
    const g = await soapApi.envelope(fields);
    if (madeFor.current !== query) adopt(query, g);
    return g;
  };

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
    regenerate: useCallback(() => {
      madeFor.current = null;
      setGeneration((g) => g + 1);
    }, []),
    fresh,
    current: async () => {
      // A think time the API would refuse (or drop, when it is no number) sends nothing, whatever the editor holds.
      if (thinkTimeProblem(fields.delayMs)) return (await fresh()).envelope;
      return madeFor.current === envelopeQuery(fields) ? envelope : (await fresh()).envelope;
    },
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
        const result = await soapApi.sendEnvelope(body);
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
