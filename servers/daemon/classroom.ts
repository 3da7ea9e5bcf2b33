/**
 * The classroom (issue 15): classes, their students (sandboxes that joined with the code), and what
 * the teacher set for each class — frozen on a message, rewound to a recorded step, a student's
 * session on the projector. A change is published on the bus as a `class` event, which the hub
 * sends to the class's pages; the teacher's own sandbox is the one students follow.
 */
import type { Bus } from '../../lib/bus/bus.ts';
import type { ClassState } from '../../lib/bus/events.ts';
import type { RosterEntry } from '../../lib/http/class-contracts.ts';
import type { Lesson } from '../../lib/lessons/types.ts';
import type { SandboxAccount, SandboxDirectory } from '../../lib/sandbox/directory.ts';
import type { ClassInfo, ClassStore } from '../../lib/store/classes.ts';
import type { LessonProgressStore } from '../../lib/store/lesson-progress.ts';
import type { TranscriptStore } from '../../lib/store/transcripts.ts';

export interface ClassroomDeps {
  bus: Bus;
  classes: ClassStore;
  directory: SandboxDirectory;
  transcripts: TranscriptStore;
  progress: LessonProgressStore;
  lessons: readonly Lesson[];
  /** The sandboxes with a page following the teacher now (the hub's; read when the roster is). */
  following(): ReadonlySet<string>;
}

/** Connections looked at per student for the roster's live list. */
const ROSTER_RECENT = 50;

export class Classroom {
  private readonly states = new Map<string, ClassState>();

  constructor(private readonly deps: ClassroomDeps) {}

  /** The sandbox a student's pages may follow: its class's teacher (the machine owner's), or null outside a class. */
  teacherOf(sandbox: string): string | null {
    const classId = this.deps.directory.get(sandbox)?.classId;
    return classId && this.deps.classes.get(classId) ? this.deps.directory.defaultSandbox : null;
  }

  /** The class a sandbox joined, or null. */
  classOf(sandbox: string): ClassInfo | null {
    const classId = this.deps.directory.get(sandbox)?.classId;
    return classId ? this.deps.classes.get(classId) : null;
  }

  state(info: ClassInfo): ClassState {
    let state = this.states.get(info.id);
    if (!state) {
      state = { classId: info.id, name: info.name, teacherSandbox: this.deps.directory.defaultSandbox, frozen: null, rewind: null, projector: null };
      this.states.set(info.id, state);
    }
    return { ...state };
  }

  /** Applies the teacher's change (a field given replaces it, null clears it) and tells the class's pages. */
  setState(info: ClassInfo, change: Partial<Pick<ClassState, 'frozen' | 'rewind' | 'projector'>>): ClassState {
    const state = { ...this.state(info), ...change };
    this.states.set(info.id, state);
    const members = this.deps.directory.list(info.id).map((student) => student.id);
    this.deps.bus.publish({ type: 'class', members, state: { ...state } });
    return state;
  }

  /**
   * Takes a student out of the class (a mistaken or duplicate join). The sandbox is kept, with its mail,
   * files, transcripts and progress, as a sandbox of its own in no class; a projection of its session
   * stops, and its pages are told. Returns the student as it was, or null for none in this class.
   */
  remove(info: ClassInfo, sandbox: string): SandboxAccount | null {
    const student = this.deps.directory.get(sandbox);
    if (!student || !this.deps.directory.unenrol(sandbox, info.id)) return null;
    if (this.state(info).projector?.sandbox === sandbox) this.setState(info, { projector: null });
    this.deps.bus.publish({ type: 'class.removed', sandbox, classId: info.id, className: info.name });
    return student;
  }

  roster(info: ClassInfo): RosterEntry[] {
    const { directory, transcripts, progress, lessons } = this.deps;
    const following = this.deps.following();
    const now = Date.now();
    return directory.list(info.id).map((student) => {
      const live = transcripts.listConnections(student.id, { limit: ROSTER_RECENT }).filter((c) => c.endedAt === null);
      const started = progress.all(student.id);
      return {
        sandbox: student.id,
        name: student.name ?? student.id,
        joinedAt: student.createdAt,
        // A page open and following is a student present now, even one only watching (no request, no message).
        lastSeen: following.has(student.id) ? now : student.lastSeen,
        following: following.has(student.id),
        liveConnections: live.map((c) => ({ id: c.id, protocol: c.protocol, ...(c.label ? { label: c.label } : {}) })),
        lessons: lessons.flatMap((lesson) => {
          const record = started.get(lesson.id);
          return record ? [{ id: lesson.id, title: lesson.title, done: Object.keys(record.done).length, steps: lesson.steps.length }] : [];
        }),
      };
    });
  }
}
