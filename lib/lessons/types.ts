/**
 * Lessons are data (issue 13): one file per lesson, next to its lab (servers/<lab>/lessons/). A
 * step is proven by messages the real servers and clients exchanged — matched on the sandbox's
 * transcript by annotation key, text or field — never by a model. The same evaluation runs in the
 * browser (live, from the lab feed), in the daemon (stored progress) and in the lesson-walking test.
 */
import type { Dir, Protocol, View } from '../wire/event.ts';

/** One message a step waits for. Every given property must hold. */
export interface MessageMatch {
  /** Defaults to the lesson's lab. */
  protocol?: Protocol;
  dir?: Dir;
  view?: View;
  kind?: string;
  /** Annotation key, exact ('smtp.reply.354') or a prefix ending in '*' ('smtp.reply.5*'). */
  key?: string;
  /** A regular expression's source, matched case-insensitively against the message text. */
  text?: string;
  /** A field with this name; `value` exact, or a regular expression's source between slashes ('/^5\\.7\\./'). */
  field?: { name: string; value?: string };
  /** Only a message a scripted fault produced (its rule id, lib/faults). */
  injectedBy?: string;
}

/** What proves a step done: each match found, in this order, in the transcript since the lesson started. */
export interface StepProof {
  all: MessageMatch[];
  /** The matches may come from different connections (default: all on one connection). */
  anyConnection?: boolean;
}

/**
 * A question asked while step mode holds a message ("what will the server answer?"), checked
 * against what the real server answers once the message is released (Packet Tracer's challenge mode).
 */
export interface HeldQuestion {
  prompt: string;
  /** The held message that raises it: its direction and a regular expression's source for its text. */
  when: { dir: 'client' | 'server'; text: string };
  /** Offered answers; without them the student types one. */
  choices?: string[];
  /**
   * Where the true answer is read: the held message itself or the first after it that matches `from`; the
   * answer is that message's field `field`, or its first word (a reply code) without one.
   */
  answer: { from: MessageMatch; field?: string };
  /** Said after the answer is checked, right or wrong: why the server answers that (with its RFC section). */
  explain: string;
}

export interface LessonStep {
  /** Unique in its lesson, URL-safe: deep links name it (`/<lab>?lesson=…&step=…`). */
  id: string;
  title: string;
  /** What to do, written for a student (plain text, short paragraphs separated by blank lines). */
  do: string;
  /** The lab page tab (its hash, e.g. 'console') where the student does it. */
  panel?: string;
  /** Lines for the page's console (or the SSH terminal), in order: Send types them there. */
  try?: string[];
  /** Commands for the student's own shell (curl, OpenSSH, nc): copied, never sent into the page's console. */
  shell?: string[];
  proof: StepProof;
  hints: string[];
  /** The source of the claim this step teaches, e.g. 'RFC 5321 §4.2.2'. */
  ref: string;
  question?: HeldQuestion;
  /** A scripted fault the step offers to switch on, what to look for then, and what proves it was seen. */
  /**
   * A scripted fault to try. `times` is how many of its occasions it is armed for (default once): a rule counting
   * requests may need the client's whole round (the refused call and the fetch that follows it).
   */
  whatIf?: { fault: string; explain: string; proof: StepProof; times?: number };
}

export interface Lesson {
  /** 'smtp-first-mail': URL-safe and unique across labs. */
  id: string;
  lab: Protocol;
  title: string;
  /** One sentence for the Start here list. */
  summary: string;
  /** Expected length, for the Start here list. */
  minutes: number;
  /** Position in its lab's list (the suggested path follows it). */
  order: number;
  goal: string;
  steps: LessonStep[];
}

/** A step's state for one sandbox: done (and by which messages), and the held question's answer if asked. */
export interface StepStatus {
  step: string;
  done: boolean;
  /** Ids of the messages that proved it, in order (each is a deep link into the player). */
  proof: string[];
  whatIfSeen?: boolean;
  /** `edited`: the held message was changed in step mode before its release, to this text (the answer is to that). */
  answer?: { given: string; actual: string | null; correct: boolean | null; edited?: string };
}
