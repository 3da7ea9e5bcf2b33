'use client';

import { useState } from 'react';
import { useSecrets } from '@/components/lab/secrets';
import type { SendLine } from './use-page-console';

/**
 * A step's `try` lines, each with Send (into the lab's console, as the quick-insert row under the
 * console does) and Copy (for the student's own client: swaks, telnet, ssh). Lines wrap rather
 * than scroll, so a projector shows them whole.
 */
export function TryLines({ lines, send }: { lines: string[]; send: SendLine | null }) {
  const [copied, setCopied] = useState<number | null>(null);
  const { conceal } = useSecrets();
  const copy = (line: string, i: number) => {
    void navigator.clipboard?.writeText(line).then(
      () => setCopied(i),
      () => setCopied(null),
    );
  };
  const button = 'shrink-0 rounded border border-slate-700 px-1.5 py-0.5 text-xs hover:border-sky-500 disabled:opacity-40';
  return (
    <ol className="space-y-1" aria-label="Try">
      {lines.map((line, i) => (
        // Send and Copy sit beside the line while it keeps 24 characters, else they move under it: in a narrow
        // panel at Presenter size a user name or address (student@127.0.0.1) would otherwise be cut mid-word.
        <li key={i} className="flex flex-wrap items-start justify-end gap-1.5" data-testid="try-line">
          <code className="min-w-0 flex-1 basis-[24ch] [overflow-wrap:anywhere] rounded bg-slate-950 px-1.5 py-0.5 font-mono text-xs text-client">{conceal(line) || '(empty line)'}</code>
          {send && (
            <button className={`${button} text-sky-200`} onClick={() => send(line)} title="Send this line from your console, as if typed">
              Send
            </button>
          )}
          <button className={`${button} text-slate-300`} onClick={() => copy(line, i)} title="Copy, to paste into your own client">
            {copied === i ? 'Copied' : 'Copy'}
          </button>
        </li>
      ))}
    </ol>
  );
}
