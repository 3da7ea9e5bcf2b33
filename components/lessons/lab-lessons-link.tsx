'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useLabInfo } from '@/components/lab/use-lab-info';
import { counted } from '@/lib/text/numbers.ts';
import type { Protocol } from '@/lib/wire/event.ts';

/**
 * "4 lessons" beside a lab page's Faults menu: the way from a lab to its guided lessons (Start here lists
 * them with this sandbox's progress). The count comes with GET /api/lab, not the lesson list, which
 * evaluates progress. Nothing while it loads, or for a lab without lessons; not in Presenter mode, where
 * the teacher has opened the lesson the class follows and the row needs the room.
 */
export function LabLessonsLink() {
  const lab = usePathname().split('/')[1] ?? '';
  const count = useLabInfo()?.lessons[lab as Protocol] ?? 0;
  if (count === 0) return null;
  return (
    <Link href={`/start#lessons-${lab}`} className="text-sm font-normal text-sky-300 hover:text-sky-100 [.presenter_&]:hidden" data-testid="lab-lessons-link">
      {counted(count, 'lesson')}
    </Link>
  );
}
