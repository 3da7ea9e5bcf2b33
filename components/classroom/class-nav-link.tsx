'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { NavLink } from '@/components/lab/nav-link';
import { classApi } from './class-api';

/**
 * The header's "Class" entry: a student's class page, or for the browser signed in as the teacher
 * the teacher's page (roster, freeze, projector), which the nav did not lead to before. Same word
 * either way, so the nav keeps its width and fits one line in Presenter mode at 1280 px.
 */
export function ClassNavLink({ className }: { className: string }) {
  const [teacher, setTeacher] = useState(false);
  // Asked again on every page: signing in on /teacher happens after the header mounted.
  const path = usePathname();
  useEffect(() => {
    classApi
      .isTeacher()
      .then(setTeacher)
      // No answer (the lab restarting): the student's entry, which says what to do on its own page.
      .catch(() => setTeacher(false));
  }, [path]);
  return (
    <NavLink href={teacher ? '/teacher' : '/class'} className={className}>
      <span title={teacher ? "Your classes: the teacher's page" : undefined}>Class</span>
    </NavLink>
  );
}
