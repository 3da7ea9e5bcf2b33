import Link from 'next/link';
import { TopicChips } from '@/components/lab/topic-chips';
import { LABS } from '@/components/labs';
import { SandboxChip } from '@/components/sandbox/sandbox-chip';

export default function HomePage() {
  return (
    <div className="mx-auto max-w-6xl px-6 py-10">
      <h1 className="text-3xl font-semibold tracking-tight text-white">Protocol Lab</h1>
      <p className="mt-3 max-w-3xl text-lg text-slate-300">
        Real protocol servers run on this machine. Connect from the browser or from your own tools — every byte they exchange is
        captured, split into messages and explained with the RFC section that defines it.
      </p>
      <p className="mt-6 flex flex-wrap items-center gap-4">
        <Link href="/start" className="rounded-md border border-sky-500 bg-sky-500/15 px-4 py-2 text-lg font-medium text-sky-100 hover:bg-sky-500/25" data-testid="start-here">
          Start here →
        </Link>
        <span className="text-slate-400">New to the lab? Guided lessons, checked against what the real servers answer.</span>
      </p>
      {/* A div, not a p: the chip holds a div (its card), which a p may not contain — the browser would split the p and hydration fail. */}
      <div className="mt-4 flex flex-wrap items-center gap-3 text-slate-400">
        <SandboxChip />
        <span>In a class? Start your own sandbox here or from any lab page: your own mailbox, files and transcripts, and a login for your own clients.</span>
      </div>
      <ul className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Labs">
        {LABS.map((lab) => {
          const card = (
            <div className={`h-full rounded-lg border p-5 ${lab.live ? 'border-slate-700 bg-slate-900 hover:border-sky-500' : 'border-slate-800 bg-slate-900/40'}`}>
              <div className="flex items-center gap-3">
                <h2 className="text-xl font-semibold text-white">{lab.name}</h2>
                <span className={`rounded-full px-2 py-0.5 text-xs ${lab.live ? 'bg-emerald-500/15 text-emerald-300' : 'bg-slate-700/50 text-slate-400'}`}>
                  {lab.live ? 'live' : 'coming'}
                </span>
              </div>
              <p className="mt-2 text-slate-300">{lab.tagline}</p>
              <TopicChips topics={lab.topics} />
            </div>
          );
          return (
            <li key={lab.slug}>
              {lab.live ? (
                <Link href={`/${lab.slug}`} className="block h-full" data-testid={`lab-${lab.slug}`}>
                  {card}
                </Link>
              ) : (
                card
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
