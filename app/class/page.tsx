import type { Metadata } from 'next';
import { ClassPage } from '@/components/classroom/class-room';
import { LabSocketProvider } from '@/components/lab/lab-socket';

export const metadata: Metadata = { title: 'Class — Protocol Lab' };

/** A student's class page (issue 15): the class, the student's login, following the teacher. */
export default function ClassRoute() {
  return (
    <LabSocketProvider>
      <ClassPage />
    </LabSocketProvider>
  );
}
