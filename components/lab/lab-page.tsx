'use client';

import type { ReactNode } from 'react';
import { ClassRemovedNotice } from '@/components/classroom/class-removed-notice';
import { LabLessonsLink } from '@/components/lessons/lab-lessons-link';
import { LessonDock } from '@/components/lessons/lesson-dock';
import type { FreshStart } from '@/components/lessons/lesson-panel';
import { SandboxChip } from '@/components/sandbox/sandbox-chip';
import type { ViewMode } from '@/components/terminal/render';
import type { Protocol } from '@/lib/wire/event.ts';
import { useDisplay } from './display-context';
import { useLabSocket } from './lab-socket';
import { useSecrets } from './secrets';
import { FaultsMenu } from './faults-menu';
import type { PagePanels } from './page-panels';
import { StepControls } from './step-controls';
import { ViewToggle } from './view-toggle';

/** The button right after a lab's title: Reconnect (a plain console) or Connect (SSH, emphasised). */
export interface LabAction {
  label: string;
  onClick(): void;
  disabled?: boolean;
  primary?: boolean;
}

/**
 * The one page shell of every lab: a title line (title, a dim hint such as `telnet 127.0.0.1 2525`,
 * Reconnect/Connect, the view toggle, lab-specific controls), a row with step mode, the faults menu and the
 * sandbox chip, the error banner, then
 * the lab's own panels filling the rest of the viewport. Render it under LabSocketProvider.
 */
export function LabPage(props: {
  title: string;
  hint?: ReactNode;
  /** Classes for the hint, e.g. shown on wide screens only where the toolbar is crowded. */
  hintClassName?: string;
  action?: LabAction;
  view?: { mode: ViewMode; onChange(mode: ViewMode): void };
  /** Lab-specific controls after the view toggle (section tabs, the FTP firewall switch). */
  controls?: ReactNode;
  /** Step mode for this lab's tap; `note` explains (as a tooltip) what it holds and what not. */
  step?: { protocol: Protocol; note?: string };
  /** Errors besides the lab socket's own (a failed lab action). */
  errors?: ReactNode[];
  /**
   * A fresh connection for the page's console (its Reconnect; on the SSH page a fresh terminal at its
   * prompt): a lesson's Start over runs it after the new start, so the lesson's first messages (a
   * greeting, a handshake) happen again and count.
   */
  freshStart?: FreshStart;
  toolbarTestId?: string;
  /** Tighter spacing where a lab needs every row of a 720-pixel screen. */
  dense?: boolean;
  /** The page's tabs and panes by the ids lessons name them with (a lesson step shows and opens them). */
  panels?: PagePanels;
  children: ReactNode;
}) {
  const { lastError } = useLabSocket();
  const error = [lastError, ...(props.errors ?? [])].find(Boolean);
  const action = props.action;
  return (
    <div className={`flex h-[calc(100vh-3rem)] min-h-[600px] flex-col p-3 ${props.dense ? 'gap-2' : 'gap-3'}`}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2" data-testid={props.toolbarTestId} data-lab-toolbar>
        <h1 className="text-lg font-semibold text-white">
          {props.title}
          {/* Not on a projector: at its larger type the hint pushed the tabs and the sandbox to rows of their own (Own client has it). */}
          {props.hint && <span className={`text-sm font-normal text-slate-400 [.presenter_&]:hidden ${props.hintClassName ?? ''}`}> — {props.hint}</span>}
        </h1>
        {action && (
          <button
            className={
              action.primary
                ? 'rounded-md border border-sky-500 bg-sky-500/10 px-3 py-1 text-sm text-sky-100 hover:bg-sky-500/20 disabled:border-slate-700 disabled:bg-transparent disabled:text-slate-400'
                : 'rounded-md border border-slate-600 px-3 py-1 text-sm hover:border-slate-400 disabled:opacity-40'
            }
            disabled={action.disabled}
            onClick={action.onClick}
          >
            {action.label}
          </button>
        )}
        {props.view && <ViewToggle mode={props.view.mode} onChange={props.view.onChange} />}
        {props.controls}
        {props.step ? (
          // A row of its own, the same on every lab page, so what is held next reads in full on a projector; the
          // faults and the sandbox end the controls' row, leaving the title line to the lab's own controls.
          <div className="flex min-w-0 basis-full">
            <StepControls protocol={props.step.protocol} note={props.step.note} aside={<FaultsAndSandbox />} />
          </div>
        ) : (
          <FaultsAndSandbox />
        )}
      </div>
      {error && <p className="rounded border border-red-800 bg-red-950/50 px-3 py-1 text-sm text-red-200">{error}</p>}
      <ClassRemovedNotice />
      <div className="min-h-0 flex-1">
        <LessonDock panels={props.panels} freshStart={props.freshStart}>
          {props.children}
        </LessonDock>
      </div>
    </div>
  );
}

/** The scripted-faults menu and the sandbox chip, at the right end of their row on every lab page. */
function FaultsAndSandbox() {
  return (
    <div className="ml-auto flex shrink-0 items-center gap-x-4">
      <LabLessonsLink />
      <FaultsMenu />
      <SandboxChip />
    </div>
  );
}

/** The lab's login, shown where a student types it (data-testid lab-password for the tests). */
export function Credentials(props: { user: string; password: string; label?: string; className?: string }) {
  const { presenter } = useDisplay();
  const { hidden, setShown, conceal } = useSecrets();
  return (
    <span className={`text-xs text-slate-400 ${props.className ?? ''}`}>
      {props.label ?? 'login'} <code className="text-slate-200">{props.user}</code> / <code className="text-slate-200" data-testid="lab-password">{conceal(props.password)}</code>
      {presenter && (
        <button className="ml-1.5 rounded border border-slate-700 px-1.5 text-xs text-slate-300 hover:text-white" onClick={() => setShown(hidden)} aria-label={hidden ? 'Show the password' : 'Hide the password'} title="Passwords are dotted out on the projector">
          {hidden ? 'Show' : 'Hide'}
        </button>
      )}
    </span>
  );
}
