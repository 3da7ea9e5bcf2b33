import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConsoleGateProvider } from '@/components/lab/console-gate';
import { LabSocketProvider } from '@/components/lab/lab-socket';
import { TopicChips } from '@/components/lab/topic-chips';
import { LABS, type LabEntry } from '@/components/labs';
import { LAB_VIEWS } from './lab-views';

type Params = { params: Promise<{ lab: string }> };

/** Every lab in the list gets a page at build time: its view if it has one, else "coming". */
export function generateStaticParams() {
  return LABS.map((lab) => ({ lab: lab.slug }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { lab } = await params;
  const entry = LABS.find((l) => l.slug === lab);
  if (!entry) return { title: 'No such lab — Protocol Lab' };
  return { title: `${LAB_VIEWS[entry.slug]?.title ?? `${entry.name} lab`} — Protocol Lab` };
}

/** One route for every lab, driven by the lab list and the UI registry. */
export default async function LabRoute({ params }: Params) {
  const { lab } = await params;
  const entry = LABS.find((l) => l.slug === lab);
  if (!entry) notFound();
  const view = entry.live ? LAB_VIEWS[entry.slug] : undefined;
  if (!view) return <ComingLab lab={entry} />;
  return (
    <LabSocketProvider>
      <ConsoleGateProvider>
        <view.View />
      </ConsoleGateProvider>
    </LabSocketProvider>
  );
}

/** A lab announced on the home page whose page is not built yet. */
function ComingLab({ lab }: { lab: LabEntry }) {
  return (
    <div className="mx-auto max-w-3xl px-6 py-10" data-testid="lab-coming">
      <h1 className="flex items-center gap-3 text-2xl font-semibold text-white">
        {lab.name} lab <span className="rounded-full bg-slate-700/50 px-2 py-0.5 text-xs font-normal text-slate-400">coming</span>
      </h1>
      <p className="mt-3 text-lg text-slate-300">{lab.tagline}</p>
      <TopicChips topics={lab.topics} />
      <p className="mt-6 text-slate-400">
        This lab is not built yet. Meanwhile, try a live one:{' '}
        {LABS.filter((l) => l.live).map((l, i) => (
          <span key={l.slug}>
            {i > 0 && ' · '}
            <Link href={`/${l.slug}`} className="text-sky-300 hover:text-sky-100">
              {l.name}
            </Link>
          </span>
        ))}
      </p>
    </div>
  );
}
