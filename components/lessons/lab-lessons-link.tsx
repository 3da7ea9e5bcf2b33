'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { counted } from '@/lib/text/numbers.ts';
import { lessonApi } from './lesson-api';

/**
 * "4 lessons" beside a lab page's Faults menu: the way from a lab to its guided lessons (Start here lists
 * them with this sandbox's progress). Nothing while they load, or for a lab without lessons; not in
 * Presenter mode, where the teacher has opened the lesson the class follows and the row needs the room.
 */
export function LabLessonsLink() {
  const lab = usePathname().split('/')[1] ?? '';
  const [count, setCount] = useState(0);
  useEffect(() => {
    let stopped = false;
    lessonApi.list().then(
      (r) => !stopped && setCount(r.labs.find((g) => g.lab === lab)?.lessons.length ?? 0),
      () => {},
    );
    return () => {
      stopped = true;
    };
  }, [lab]);
  if (count === 0) return null;
  return (
    <Link href={`/start#lessons-${lab}`} className="text-sm font-normal text-sky-300 hover:text-sky-100 [.presenter_&]:hidden" data-testid="lab-lessons-link">
      {counted(count, 'lesson')}
    </Link>
  );
}
