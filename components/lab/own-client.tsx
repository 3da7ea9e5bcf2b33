'use client';

import { useState, type ReactNode } from 'react';
import { Panel } from './panel';
import { useSecrets } from './secrets';

/** One copy-paste recipe for a real client. */
export interface ClientRecipe {
  name: string;
  note?: string;
  code: string;
}

/** "Use your own client": tabs of copy-paste commands for real tools. */
export function OwnClient({ recipes }: { recipes: ClientRecipe[] }) {
  const [active, setActive] = useState(0);
  const [copied, setCopied] = useState(false);
  const { conceal } = useSecrets();
  const recipe = recipes[active];
  return (
    <div className="flex h-full flex-col text-sm" data-testid="client-recipes">
      <div className="flex flex-wrap gap-1 px-3 pt-2">
        {recipes.map((r, i) => (
          <button
            key={r.name}
            data-testid="client-recipe-name"
            onClick={() => {
              setActive(i);
              setCopied(false);
            }}
            className={`rounded px-2 py-0.5 text-xs ${i === active ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white'}`}
          >
            {r.name}
          </button>
        ))}
      </div>
      <div className="relative m-3 flex-1 overflow-auto rounded bg-slate-950 p-3" data-testid="client-recipe">
        <button
          className="absolute right-2 top-2 rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-300 hover:text-white"
          onClick={() => void navigator.clipboard?.writeText(recipe.code).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        {/* Wrapped at spaces; a token longer than the box (a key, a URL, a long option) breaks inside rather than scroll sideways. */}
        <pre className="whitespace-pre-wrap pr-14 font-mono text-xs text-slate-200 [overflow-wrap:anywhere]">{conceal(recipe.code)}</pre>
        {recipe.note && <p className="mt-2 text-xs text-slate-400">{recipe.note}</p>}
      </div>
    </div>
  );
}

/**
 * What a student's own-client tab says where the lab's external clients would not act for them
 * (GET /api/lab's clientsLandHere is false): with no login on the wire, a client is filed by its
 * machine, and this machine is the owner's or one another sandbox uses too (servers/daemon/sandboxes.ts).
 */
export const OWNER_SANDBOX_NOTICE =
  'External clients of this lab run on this machine land in the machine owner’s sandbox, not yours: run them on your own computer on the class network (with this page open there), or use the request console on this page (it acts in your sandbox).';

/**
 * A value with a line-break opportunity after each single "/" (a URL's path, a media type), where Chromium
 * breaks none: a URL wider than the line wraps between its segments ("…/09/" "mex/…"), not inside one.
 */
function breaksAfterSlashes(text: string): ReactNode[] {
  return text.split(/(?<=[^/]\/)(?=[^/])/).flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

/**
 * The "Own client" tab every lab shows: its recipes beside "What your client needs" (addresses, keys,
 * headers, each a name and a value) and one line on where the client's connections appear. With a
 * `notice` (a student's sandbox that the lab's external clients never reach) the recipes, which
 * would carry another sandbox's values, give way to that one sentence beside the facts that hold.
 */
export function OwnClientTab({ recipes, facts, footnote, testId, notice }: { recipes: ClientRecipe[]; facts: [string, string][]; footnote?: ReactNode; testId: string; notice?: string }) {
  const { conceal } = useSecrets();
  return (
    <div className="grid h-full min-h-0 grid-cols-[minmax(0,1fr)_minmax(0,22rem)] gap-3">
      <Panel title="Use your own client">
        {notice ? (
          <p className="p-3 text-sm text-amber-200" data-testid={`${testId}-notice`}>
            {notice}
          </p>
        ) : (
          <OwnClient recipes={recipes} />
        )}
      </Panel>
      <Panel title="What your client needs">
        <div className="h-full overflow-y-auto p-3 text-sm" data-testid={testId}>
          <dl className="space-y-2">
            {facts.map(([name, value]) => (
              <div key={name}>
                <dt className="text-xs text-slate-400">{name}</dt>
                {/* Wrapped at spaces and a path's "/"; only a word longer than the line (a key) breaks inside (break-all cut "hea|der"). */}
                <dd className="font-mono text-xs text-slate-100 [overflow-wrap:anywhere]">{breaksAfterSlashes(conceal(value))}</dd>
              </div>
            ))}
          </dl>
          {footnote && <p className="pt-4 text-xs text-slate-400">{footnote}</p>}
        </div>
      </Panel>
    </div>
  );
}
