'use client';

import { useCallback, useEffect, useState } from 'react';
import { ClassBoard } from './class-board';
import { classApi } from './class-api';
import { ClassList } from './class-list';
import { TeacherSignIn } from './teacher-sign-in';
import { errorBox, messageOf } from './styles';

/** The class open on the teacher page, kept in the URL (`/teacher?class=<id>`) so a reload stays on it. */
function classInUrl(): string | null {
  return new URLSearchParams(window.location.search).get('class');
}

/**
 * The teacher page: the sign-in form until this browser holds a teacher session, then the classes,
 * and one class's board.
 */
export function TeacherView() {
  const [teacher, setTeacher] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [classId, setClassId] = useState<string | null>(null);

  useEffect(() => {
    classApi
      .isTeacher()
      .then(setTeacher)
      .catch((err: unknown) => setError(messageOf(err)));
    setClassId(classInUrl());
    const onPop = () => setClassId(classInUrl());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const open = useCallback((id: string | null) => {
    window.history.pushState(null, '', id ? `/teacher?class=${encodeURIComponent(id)}` : '/teacher');
    setClassId(id);
  }, []);

  if (teacher && classId) return <ClassBoard classId={classId} onBack={() => open(null)} />;
  return (
    <div className="mx-auto max-w-5xl px-6 py-8">
      <h1 className="text-3xl font-semibold tracking-tight text-white">Teacher</h1>
      <p className="mt-2 max-w-3xl text-slate-300">
        Make a class and show its join code: each student who joins gets a sandbox of their own. Students who follow you see your sessions live and
        read-only; you can freeze them on a message, rewind them to a step of a recording, and put a student&apos;s session on your projector.
      </p>
      {error && <p className={`${errorBox} mt-4`}>{error}</p>}
      {teacher === null && !error && <p className="mt-6 text-slate-400">Checking…</p>}
      {teacher === false && <TeacherSignIn onSignedIn={() => setTeacher(true)} />}
      {teacher && <ClassList onOpen={open} />}
    </div>
  );
}
