'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { NavLink } from '@/components/lab/nav-link';
import { fetchJson } from '@/components/lab/use-lab-feed';
import type { LabInfo } from '@/components/lab/use-lab-info';
import { classApi } from './class-api';
import { clearClassRemoval, useClassRemoval } from './class-membership';

/** What the header knows of this browser: the teacher's, and the class its sandbox is in. */
interface Membership {
  teacher: boolean;
  className: string | null;
}

/**
 * The header's "Class" entry: a student's class page, or for the browser signed in as the teacher
 * the teacher's page (roster, freeze, projector), which the nav did not lead to before. Same word
 * either way, so the nav keeps its width and fits one line in Presenter mode at 1280 px; a student in a
 * class reads its name on hover, until the teacher removes the student (told at once, not at the next page).
 */
export function ClassNavLink({ className }: { className: string }) {
  const [mine, setMine] = useState<Membership>({ teacher: false, className: null });
  const removal = useClassRemoval();
  const told = useRef(removal);
  told.current = removal;
  // Asked again on every page: signing in on /teacher, and joining on /join, happen after the header mounted.
  const path = usePathname();
  useEffect(() => {
    const asked = performance.now();
    Promise.all([classApi.isTeacher(), fetchJson<LabInfo>('/api/lab').catch(() => null)])
      .then(([teacher, lab]) => {
        const inClass = lab?.class?.name ?? null;
        setMine({ teacher, className: inClass });
        // In a class again, by a join after the removal this tab was told of: nothing left to say.
        const heard = told.current?.at;
        if (inClass !== null && heard !== undefined && heard < asked) clearClassRemoval();
      })
      // No answer (the lab restarting): the student's entry, which says what to do on its own page.
      .catch(() => setMine({ teacher: false, className: null }));
  }, [path]);
  const inClass = removal ? null : mine.className;
  const title = mine.teacher ? "Your classes: the teacher's page" : inClass !== null ? `Your class: ${inClass}` : undefined;
  return (
    <NavLink href={mine.teacher ? '/teacher' : '/class'} className={className}>
      <span title={title} data-testid="class-nav-link" data-class={inClass ?? undefined}>
        Class
      </span>
    </NavLink>
  );
}
