'use client';

import { useMemo, useState } from 'react';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { studentTranscript } from './class-api';
import { button, errorBox } from './styles';
import { useLiveTranscript } from './use-live-transcript';

/**
 * The student's session the teacher put on the projector (the teacher's own screen: students'
 * pages do not change): its transcript with its data connections' messages in wire order, read
 * again while it is live.
 */
export function ProjectorView(props: { classId: string; projected: { sandbox: string; conn: string } | null; studentName: string | null; onStop(): void }) {
  const { classId, projected } = props;
  const sandbox = projected?.sandbox ?? null;
  const read = useMemo(() => (sandbox ? studentTranscript(classId, sandbox) : null), [classId, sandbox]);
  const transcript = useLiveTranscript(read, projected?.conn ?? null, true);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  if (!projected) {
    return <p className="p-4 text-slate-400">Nothing on the projector. Press Project beside a student&apos;s live connection in the roster to show it here.</p>;
  }
  const info = transcript.value?.connection;
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="projector">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-800 px-3 py-1.5">
        <span className="text-slate-100">
          {props.studentName ?? projected.sandbox}
          <span className="text-slate-400">
            {' '}
            · {info ? `${info.protocol.toUpperCase()} · ${info.label ?? 'client'}` : projected.conn}
          </span>
        </span>
        {info && <span className={`rounded-full px-2 py-0.5 text-xs ${info.endedAt === null ? 'bg-emerald-500/15 text-emerald-300' : 'bg-slate-700/50 text-slate-300'}`}>{info.endedAt === null ? 'live' : 'ended'}</span>}
        <button className={`${button} ml-auto text-sm`} onClick={props.onStop}>
          Stop projecting
        </button>
      </div>
      {transcript.error && <p className={`${errorBox} m-2`}>{transcript.error}</p>}
      <div className="min-h-0 flex-1">
        <TranscriptPanel
          messages={transcript.value?.messages ?? []}
          selectedId={selectedId}
          onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
          emptyText={transcript.value ? 'No messages yet.' : 'Reading the transcript…'}
          playerLink={false}
        />
      </div>
    </div>
  );
}
