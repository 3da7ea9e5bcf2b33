'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { LABS } from '@/components/labs';
import { lessonApi, type LessonSummary } from './lesson-api';
import { lessonHref } from './lesson-link';

type Groups = { lab: string; lessons: LessonSummary[] }[];

/**
 * The suggested path: how many of each lab's first lessons to take, in this order — a mail typed
 * by hand and its replies first (a text protocol anyone can read), then SSH's binary handshake,
 * FTP's two channels, a SOAP envelope. The other labs follow in the list below.
 */
const PATH: readonly (readonly [lab: string, lessons: number])[] = [
  ['smtp', 3],
  ['ssh', 1],
  ['ftp', 1],
  ['soap', 1],
];

const labName = (lab: string) => LABS.find((l) => l.slug === lab)?.name ?? lab.toUpperCase();

/** The Start here page's live part: the suggested path and every lesson by lab, with this sandbox's progress. */
export function StartLessons() {
  const [groups, setGroups] = useState<Groups | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    lessonApi.list().then(
      (r) => {
        if (stopped) return;
        // The daemon evaluates lessons left mid-way afresh for the list, so steps proven after the lesson page closed count here too.
        // In the nav's order, so the list reads like the header above it.
        const place = (lab: string) => {
          const i = LABS.findIndex((l) => l.slug === lab);
          return i < 0 ? LABS.length : i;
        };
        setGroups([...r.labs].sort((a, b) => place(a.lab) - place(b.lab)));
      },
      (e: Error) => !stopped && setError(e.message),
    );
    return () => {
      stopped = true;
    };
  }, []);

  // A lab page's "N lessons" link names its group (#lessons-ftp): the groups arrive after the page, so scroll once they are drawn.
  useEffect(() => {
    if (groups && window.location.hash.startsWith('#lessons-')) document.getElementById(window.location.hash.slice(1))?.scrollIntoView({ block: 'start' });
  }, [groups]);

  if (error) return <p className="mt-6 rounded border border-red-800 bg-red-950/50 px-3 py-2 text-red-200">The lessons could not be loaded: {error}</p>;
  if (!groups) return <p className="mt-6 text-slate-400">Loading the lessons…</p>;

  const path = PATH.flatMap(([lab, n]) => groups.find((g) => g.lab === lab)?.lessons.slice(0, n) ?? []);
  return (
    <>
      <section className="mt-8" aria-labelledby="path-heading">
        <h2 id="path-heading" className="text-xl font-semibold text-white">
          A suggested path
        </h2>
        <ol className="mt-3 flex flex-wrap items-stretch gap-2" data-testid="lesson-path">
          {path.map((lesson, i) => (
            <li key={lesson.id} className="flex items-center gap-2">
              {i > 0 && <span className="text-slate-400" aria-hidden>→</span>}
              <Link href={lessonHref(lesson.lab, lesson.id)} className="rounded-md border border-slate-700 bg-slate-900 px-3 py-1.5 hover:border-sky-500">
                <span className="mr-1.5 text-sm text-slate-400">{i + 1}.</span>
                <span className="text-slate-100">{lesson.title}</span> <span className="text-sm text-slate-400">· {labName(lesson.lab)}</span>
                {lesson.progress.done === lesson.steps && <span className="ml-1.5 text-emerald-300">✓</span>}
              </Link>
            </li>
          ))}
        </ol>
      </section>

      <section className="mt-10" aria-labelledby="all-heading">
        <h2 id="all-heading" className="text-xl font-semibold text-white">
          Every lesson, by protocol
        </h2>
        <div className="mt-3 space-y-6">
          {groups.map((group) => (
            <div key={group.lab} id={`lessons-${group.lab}`} className="scroll-mt-16" data-testid={`lessons-${group.lab}`}>
              <h3 className="flex items-baseline gap-3 text-lg font-semibold text-slate-100">
                {labName(group.lab)}
                <Link href={`/${group.lab}`} className="text-sm font-normal text-sky-300 hover:text-sky-100">
                  open the lab
                </Link>
              </h3>
              <ul className="mt-2 grid gap-3 md:grid-cols-2">
                {group.lessons.map((lesson) => (
                  <li key={lesson.id}>
                    <LessonCard lesson={lesson} />
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </section>
    </>
  );
}

/** One lesson: title, summary, length, and how far this sandbox got. */
function LessonCard({ lesson }: { lesson: LessonSummary }) {
  const { done, startedAt } = lesson.progress;
  const complete = done === lesson.steps;
  const state = complete ? 'done' : startedAt !== null ? `${done} of ${lesson.steps} steps done` : 'not started';
  return (
    <Link
      href={lessonHref(lesson.lab, lesson.id)}
      className="block h-full rounded-lg border border-slate-700 bg-slate-900 p-4 hover:border-sky-500"
      data-testid={`lesson-${lesson.id}`}
    >
      <div className="flex items-baseline gap-3">
        <h4 className="min-w-0 flex-1 font-semibold text-white">{lesson.title}</h4>
        <span className="shrink-0 text-sm tabular-nums text-slate-400">
          {lesson.minutes} min · {lesson.steps} steps
        </span>
      </div>
      <p className="mt-1 text-sm text-slate-300">{lesson.summary}</p>
      <div className="mt-3 flex items-center gap-3">
        <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-slate-800" role="progressbar" aria-valuemin={0} aria-valuemax={lesson.steps} aria-valuenow={done} aria-label="Progress">
          <div className={`h-full ${complete ? 'bg-emerald-400' : 'bg-sky-400'}`} style={{ width: `${(done / Math.max(1, lesson.steps)) * 100}%` }} />
        </div>
        <span className={`text-sm ${complete ? 'text-emerald-300' : 'text-slate-300'}`}>{complete ? '✓ done' : state}</span>
      </div>
    </Link>
  );
}
