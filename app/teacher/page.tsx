import type { Metadata } from 'next';
import { TeacherView } from '@/components/classroom/teacher-view';

export const metadata: Metadata = { title: 'Teacher — Protocol Lab' };

/** The teacher's page (issue 15): sign in with the teacher's token, make classes, run one. */
export default function TeacherPage() {
  return <TeacherView />;
}
