import Link from 'next/link';
import { LABS } from '@/components/labs';

/** An address that names no lab: say so and list the labs there are. */
export default function LabNotFound() {
  return (
    <div className="mx-auto max-w-3xl px-6 py-10" data-testid="lab-not-found">
      <h1 className="text-2xl font-semibold text-white">No lab here</h1>
      <p className="mt-3 text-slate-300">This address names no lab of Protocol Lab. The labs are:</p>
      <ul className="mt-4 space-y-2">
        {LABS.map((lab) => (
          <li key={lab.slug}>
            <Link href={`/${lab.slug}`} className="text-sky-300 hover:text-sky-100">
              {lab.name}
            </Link>{' '}
            <span className="text-sm text-slate-400">
              — {lab.live ? lab.tagline : 'coming'}
            </span>
          </li>
        ))}
      </ul>
      <p className="mt-6">
        <Link href="/" className="text-sky-300 hover:text-sky-100">
          ← Home
        </Link>
      </p>
    </div>
  );
}
