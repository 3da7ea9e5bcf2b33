import type { Metadata } from 'next';
import { LabSocketProvider } from '@/components/lab/lab-socket';
import { SessionsView } from '@/components/sessions/sessions-view';

export const metadata: Metadata = { title: 'Sessions — Protocol Lab' };

/** Every recorded connection of the sandbox, across labs: search, export, import (issue 14). */
export default function SessionsPage() {
  return (
    <LabSocketProvider>
      <SessionsView />
    </LabSocketProvider>
  );
}
