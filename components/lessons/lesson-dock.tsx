'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { useDisplay } from '@/components/lab/display-context';
import { useLabSocket } from '@/components/lab/lab-socket';
import type { PagePanels } from '@/components/lab/page-panels';
import { keepLessonInUrl, parseLessonLink, withLesson, type LessonLink } from './lesson-link';
import { lessonApi } from './lesson-api';
import { LessonPanel, type FreshStart } from './lesson-panel';
import { usePageConsoles } from './use-page-console';

const COLLAPSED_KEY = 'protocol-lab.lesson-collapsed';

/** How long a page back in view waits before saying it still shows its lesson (see useLeaveWhenGone). */
const STILL_SHOWN_DELAY_MS = 1000;

/** How many docks of this tab show each lesson now (a page the app goes to may show the same lesson). */
const shown = new Map<string, number>();

/**
 * A lesson is left, and its what-ifs disarmed, when no page of the tab shows a lesson any more: the panel
 * closed, or the app went to a page without one (home, Start here, a lab's plain page). Checked once the
 * next page has mounted, so a page that shows the lesson again (and React's development remount) keeps it,
 * and one showing another lesson leaves it to that lesson's opening, which disarms and says what. A page
 * that unloads cannot tell a reload from a closed tab: it leaves after the daemon's grace, which the
 * reloaded page's opening of the lesson cancels, and so does any other page still showing the lesson when
 * the daemon tells it one unloaded (`lesson.leaving`: a second window gets no visibility change).
 */
function useLeaveWhenGone(lesson: string | null) {
  const { subscribe } = useLabSocket();
  useEffect(() => {
    if (!lesson) return;
    shown.set(lesson, (shown.get(lesson) ?? 0) + 1);
    // From pagehide until the page is back from the page cache: the unloading page's own socket is still open
    // when the daemon announces its leave, and it must not be the page that answers it is still shown.
    let unloading = false;
    const unload = () => {
      unloading = true;
      void lessonApi.leaveOnUnload(lesson).catch(() => {});
    };
    const stopListening = subscribe((message) => {
      if (unloading || message.type !== 'events' || !message.events.some((e) => e.type === 'lesson.leaving' && e.lesson === lesson)) return;
      lessonApi.stillShown(lesson).catch(() => {});
    });
    // Back from the browser's page cache; or in view again, maybe as another tab of the lesson closed (a proof
    // opened in a new tab): the lesson is still shown. Said a second later, after that tab's unload leave
    // (sent as it closed, on another connection) has arrived, and well within its grace.
    let stillTimer: ReturnType<typeof setTimeout> | undefined;
    const still = () => {
      clearTimeout(stillTimer);
      stillTimer = setTimeout(() => void lessonApi.stillShown(lesson).catch(() => {}), STILL_SHOWN_DELAY_MS);
    };
    const back = (event: PageTransitionEvent) => {
      unloading = false;
      if (event.persisted) still();
    };
    const visible = () => document.visibilityState === 'visible' && still();
    window.addEventListener('pagehide', unload);
    window.addEventListener('pageshow', back);
    document.addEventListener('visibilitychange', visible);
    return () => {
      stopListening();
      window.removeEventListener('pagehide', unload);
      window.removeEventListener('pageshow', back);
      document.removeEventListener('visibilitychange', visible);
      clearTimeout(stillTimer);
      const left = (shown.get(lesson) ?? 1) - 1;
      if (left > 0) shown.set(lesson, left);
      else shown.delete(lesson);
      // A page showing another lesson has opened it, which disarmed this one's and says so in its panel.
      setTimeout(() => {
        if (shown.size === 0) lessonApi.leave(lesson).catch(() => {});
      }, 0);
    };
  }, [lesson, subscribe]);
}

/**
 * Where a lab page's panels and the lesson sit side by side: the lab's own panels fill the width,
 * and a lesson named by the URL (`?lesson=<id>&step=<step>`) opens at the right. The lab shell
 * (components/lab/lab-page.tsx) wraps every lab's panels in it, so every lab gets lessons.
 */
export function LessonDock({ children, panels, freshStart }: { children: ReactNode; panels?: PagePanels; freshStart?: FreshStart }) {
  return (
    <div className="flex h-full min-h-0 gap-3">
      {/* The container the pages' `lab-narrow:` layouts measure (app/globals.css): the width the lesson leaves them. */}
      <div className="@container/lab h-full min-h-0 min-w-0 flex-1">{children}</div>
      {/* Reading the query needs a Suspense boundary on a prerendered page; the lab's panels stay outside it. */}
      <Suspense fallback={null}>
        <LessonSide panels={panels} freshStart={freshStart} />
      </Suspense>
    </div>
  );
}

function LessonSide({ panels, freshStart }: { panels?: PagePanels; freshStart?: FreshStart }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const consoleOf = usePageConsoles();
  const fromUrl = parseLessonLink(params);
  // The lesson stays open when something else rewrites the query (the transcript's shared selection).
  const [open, setOpen] = useState<LessonLink>(fromUrl);
  // Folded or not is kept per display mode: on a projector at 1280×720 the lab's own panels need the
  // width, so Presenter mode starts folded (the rail keeps the progress in view) until unfolded.
  const { presenter } = useDisplay();
  const collapsedKey = `${COLLAPSED_KEY}.${presenter ? 'presenter' : 'desk'}`;
  const [collapsed, setCollapsed] = useState(false);
  useEffect(() => {
    const saved = localStorage.getItem(collapsedKey);
    setCollapsed(saved === null ? presenter : saved === '1');
  }, [collapsedKey, presenter]);

  // A navigation to another lesson or step (a link) opens it. The panel's own changes go to the
  // address bar by replaceState with Next's history state, which useSearchParams does not see.
  useEffect(() => {
    if (fromUrl.lesson) setOpen({ lesson: fromUrl.lesson, step: fromUrl.step });
  }, [fromUrl.lesson, fromUrl.step]);

  // The address names the open lesson, so a reload or a shared link opens it again (selecting a
  // message or a tab keeps the lesson's parameters: components/lab/deep-link.ts, use-hash-tab.ts).
  useEffect(() => {
    if (open.lesson) keepLessonInUrl(open);
  }, [open]);

  const lesson = open.lesson;
  useLeaveWhenGone(lesson);
  if (!lesson) return null;
  const replace = (link: LessonLink) => {
    setOpen(link);
    const search = withLesson(window.location.search, link);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
  };
  return (
    <LessonPanel
      key={lesson}
      link={open}
      pageLab={pathname.split('/')[1] || null}
      consoleOf={consoleOf}
      panels={panels}
      freshStart={freshStart}
      onStep={(step) => replace({ lesson, step })}
      // Closed, the lesson is left (useLeaveWhenGone): nothing it armed may answer a later, unrelated exchange.
      onClose={() => replace({ lesson: null, step: null })}
      collapsed={collapsed}
      onCollapse={(value) => {
        setCollapsed(value);
        localStorage.setItem(collapsedKey, value ? '1' : '0');
      }}
    />
  );
}
