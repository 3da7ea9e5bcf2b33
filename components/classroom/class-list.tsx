'use client';

import { useCallback, useState } from 'react';
import { CLASS_NAME_MAX } from '@/lib/http/class-contracts.ts';
import { classApi } from './class-api';
import { button, errorBox, field, messageOf, primaryButton } from './styles';
import { usePoll } from './use-poll';

/** The teacher's classes: a new one by name, and every one made so far with its code and size. */
export function ClassList({ onOpen }: { onOpen(id: string): void }) {
  const load = useCallback(() => classApi.classes(), []);
  // Student counts change as they join, but the roster in the class view is where that is watched: once a minute here.
  const classes = usePoll(load, 60_000);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="mt-6 space-y-6">
      <form
        className="flex max-w-xl flex-wrap items-end gap-2"
        aria-label="Create a class"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          classApi
            .create(name.trim())
            .then((created) => onOpen(created.id))
            .catch((err: unknown) => setError(messageOf(err)))
            .finally(() => setBusy(false));
        }}
      >
        <div className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
          <label className="flex flex-col gap-1 text-slate-400">
            Class name
            <input
              className={field}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Networks 101, Tuesday"
              maxLength={CLASS_NAME_MAX}
              aria-describedby="class-name-count"
              required
            />
          </label>
          {/* The limit is said, not only enforced: the input stops at it, and a pasted name is cut there. */}
          <span id="class-name-count" className={name.length >= CLASS_NAME_MAX ? 'text-amber-200' : 'text-slate-400'} data-testid="class-name-count">
            {name.length >= CLASS_NAME_MAX
              ? `${CLASS_NAME_MAX} of ${CLASS_NAME_MAX} characters: the most a class name may have; anything longer was cut here.`
              : `${name.length} of ${CLASS_NAME_MAX} characters`}
          </span>
        </div>
        <button className={primaryButton} disabled={busy || !name.trim()}>
          Create class
        </button>
      </form>
      {(error ?? classes.error) && <p className={errorBox}>{error ?? classes.error}</p>}
      <section aria-label="Classes">
        <h2 className="text-lg font-semibold text-white">Your classes <span className="text-sm font-normal text-slate-400">— newest first</span></h2>
        {classes.value === null ? (
          <p className="mt-2 text-slate-400">Loading…</p>
        ) : classes.value.length === 0 ? (
          <p className="mt-2 text-slate-400">No class yet: name one above. Its join code is what students type on /join.</p>
        ) : (
          <table className="mt-2 w-full max-w-3xl text-left" data-testid="class-list">
            <thead className="text-sm text-slate-400">
              <tr>
                <th className="py-1 font-normal">Class</th>
                <th className="py-1 font-normal">Join code</th>
                <th className="py-1 font-normal">Students</th>
                <th className="py-1 font-normal">Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {classes.value.map((c) => (
                <tr key={c.id} className="border-t border-slate-800">
                  <td className="py-2 pr-3 text-slate-100">{c.name}</td>
                  <td className="py-2 pr-3 font-mono text-slate-200">{c.code}</td>
                  <td className="py-2 pr-3 tabular-nums">{c.students}</td>
                  <td className="py-2 pr-3 text-slate-400">{new Date(c.createdAt).toLocaleString()}</td>
                  <td className="py-2 text-right">
                    <button className={button} onClick={() => onOpen(c.id)}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
