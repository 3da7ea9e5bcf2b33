import type { Metadata } from 'next';
import { StartLessons } from '@/components/lessons/start-lessons';

export const metadata: Metadata = { title: 'Start here — Protocol Lab' };

/** Where a new student begins (issue 13): what the lab is, a path through it, and every lesson with its progress. */
export default function StartPage() {
  return (
    <div className="mx-auto max-w-5xl px-6 py-8">
      <h1 className="text-3xl font-semibold tracking-tight text-white">Start here</h1>
      <div className="mt-3 max-w-3xl space-y-2 text-lg text-slate-300">
        <p>
          Protocol Lab runs real mail, file-transfer, SSH, messaging (ZeroMQ) and web-service servers on this machine. You talk to them from a console in the browser or from
          your own tools, and every byte on the wire is shown, split into messages and explained with the RFC section that defines it.
        </p>
        <p>
          A lesson opens beside the lab&apos;s terminal. Each step says what to type; it turns done when the <em>real</em> server&apos;s answer proves
          it — nothing is simulated.
        </p>
      </div>
      <StartLessons />
    </div>
  );
}
