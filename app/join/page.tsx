import type { Metadata } from 'next';
import { JoinForm } from '@/components/classroom/join-form';

export const metadata: Metadata = { title: 'Join a class — Protocol Lab' };

/** Where students go with the code on the projector (issue 15). */
export default function JoinPage() {
  return (
    <div className="mx-auto max-w-5xl px-6 py-8">
      <h1 className="text-3xl font-semibold tracking-tight text-white">Join a class</h1>
      <p className="mt-2 max-w-3xl text-lg text-slate-300">
        Type the code your teacher shows. You get a sandbox of your own — your own mailbox, files and transcripts, and a login for your own clients —
        and you can follow the teacher&apos;s sessions live.
      </p>
      <JoinForm />
    </div>
  );
}
