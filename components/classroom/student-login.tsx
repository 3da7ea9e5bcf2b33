'use client';

import { useState } from 'react';
import type { LabInfo } from '@/components/lab/use-lab-info';
import { smallButton } from './styles';

/** The student's own login for external clients (swaks, ssh, sftp, FileZilla…), and where the servers listen. */
export function StudentLogin({ info }: { info: LabInfo }) {
  const [shown, setShown] = useState(false);
  const ports = info.servers.filter((s) => ['smtp', 'ftp', 'ssh'].includes(s.protocol));
  return (
    <section className="flex flex-wrap items-center gap-x-5 gap-y-1 rounded-lg border border-slate-800 bg-slate-900/60 px-4 py-2" aria-label="Your login" data-testid="student-login">
      <span className="text-slate-400">Your login for your own clients:</span>
      <span>
        user <span className="font-mono text-slate-100" data-testid="student-user">{info.user}</span>
      </span>
      <span className="flex items-center gap-2">
        password{' '}
        <span className="font-mono text-slate-100" data-testid="student-password">
          {shown ? info.password : '•'.repeat(Math.min(12, info.password.length))}
        </span>
        <button className={smallButton} onClick={() => setShown(!shown)}>
          {shown ? 'Hide' : 'Show'}
        </button>
      </span>
      <span>
        mail to <span className="font-mono text-slate-100">anything@{info.mailDomain}</span>
      </span>
      {ports.length > 0 && (
        <span className="text-slate-400">
          {ports.map((s) => `${s.protocol.toUpperCase()} ${info.host}:${s.port}`).join(' · ')}
        </span>
      )}
    </section>
  );
}
