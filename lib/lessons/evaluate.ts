/**
 * Whether a lesson's steps are done, read from what the real servers and clients exchanged (issue 13).
 * Pure: the browser runs it on the live lab feed, the daemon on the stored transcripts (and keeps
 * what is done), the lesson-walking test through the daemon. Nothing here trusts a lesson's
 * regular expressions to compile: a bad one matches nothing (the registry test catches it first).
 */
import type { LabMessage, Protocol } from '../wire/event.ts';
import type { HeldQuestion, Lesson, MessageMatch, StepProof, StepStatus } from './types.ts';

/** A held question's answer as given: the words, and where in the lesson's messages it was given. */
export interface LessonAnswer {
  given: string;
  /**
   * The id of the newest message of the lesson when the answer was given (null: none yet). The held
   * message is released, and so recorded, after it: the question's real answer comes later still.
   */
  after: string | null;
}

/** Answers by step id. */
export type LessonAnswers = Readonly<Record<string, LessonAnswer>>;

const compiled = new Map<string, RegExp | null>();

/** A lesson's regular expression, compiled once (case-insensitive); null when it does not compile. */
function pattern(source: string): RegExp | null {
  let re = compiled.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, 'i');
    } catch {
      re = null;
    }
    compiled.set(source, re);
  }
  return re;
}

/** Whether a regular expression's source compiles (the registry test checks every lesson's). */
export function compiles(source: string): boolean {
  return pattern(source) !== null;
}

/** Whether a message (held in step mode, or recorded) is the one a held question waits for: its direction and text. */
export function isQuestionMessage(question: HeldQuestion, message: { dir: string; text: string }): boolean {
  return message.dir === question.when.dir && (pattern(question.when.text)?.test(message.text) ?? false);
}

/** A field value as a lesson writes it: exact text, or a regular expression between slashes ('/^5\.7\./'). */
function valueMatches(expected: string, actual: string): boolean {
  if (expected.length >= 2 && expected.startsWith('/') && expected.endsWith('/')) return pattern(expected.slice(1, -1))?.test(actual) ?? false;
  return expected === actual;
}

/** An annotation key as a lesson writes it: exact ('smtp.reply.354') or a prefix ending in '*' ('smtp.reply.5*'). */
export function keyMatches(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return expected.endsWith('*') ? actual.startsWith(expected.slice(0, -1)) : actual === expected;
}

/** Whether `message` is what `match` waits for: every property the match gives holds (protocol defaults to the lesson's lab). */
export function matchMessage(match: MessageMatch, message: LabMessage, lessonLab: Protocol): boolean {
  if (message.protocol !== (match.protocol ?? lessonLab)) return false;
  if (match.dir !== undefined && message.dir !== match.dir) return false;
  if (match.view !== undefined && message.view !== match.view) return false;
  if (match.kind !== undefined && message.kind !== match.kind) return false;
  if (match.key !== undefined && !keyMatches(match.key, message.annotation?.key)) return false;
  if (match.text !== undefined && !(pattern(match.text)?.test(message.text) ?? false)) return false;
  if (match.field !== undefined) {
    const { name, value } = match.field;
    if (!(message.fields ?? []).some((f) => f.name === name && (value === undefined || valueMatches(value, f.value)))) return false;
  }
  if (match.injectedBy !== undefined && message.injected?.rule !== match.injectedBy) return false;
  return true;
}

/**
 * The messages that satisfy `matches` in order within one sequence, or null: the sequence completed
 * earliest, and in it each earlier match the latest before the next one — the messages that satisfied
 * the step together (the RCPT that the 550 answered, not an earlier accepted RCPT; the DATA that got
 * the 354, not an earlier one refused 554).
 */
function inOrder(matches: readonly MessageMatch[], messages: readonly LabMessage[], lab: Protocol): LabMessage[] | null {
  if (matches.length === 0) return null;
  let matched = 0;
  let end = -1;
  for (let i = 0; i < messages.length && end < 0; i++) {
    if (matchMessage(matches[matched], messages[i], lab) && ++matched === matches.length) end = i;
  }
  if (end < 0) return null;
  const found = [messages[end]];
  // Back from the end: the forward pass found a match for each before it, so each search finds one.
  for (let k = matches.length - 2, at = end - 1; k >= 0; k--, at--) {
    while (at >= 0 && !matchMessage(matches[k], messages[at], lab)) at--;
    if (at < 0) return null;
    found.unshift(messages[at]);
  }
  return found;
}

/**
 * The messages that prove `proof`, or null: each match found in order, all on one connection
 * (the first connection, in order of appearance, that has them) unless the proof says anyConnection.
 * `messages` are the lesson's, oldest first.
 */
export function findProof(proof: StepProof, messages: readonly LabMessage[], lab: Protocol): LabMessage[] | null {
  if (proof.anyConnection) return inOrder(proof.all, messages, lab);
  const byConnection = new Map<string, LabMessage[]>();
  for (const message of messages) {
    const list = byConnection.get(message.conn);
    if (list) list.push(message);
    else byConnection.set(message.conn, [message]);
  }
  for (const list of byConnection.values()) {
    const found = inOrder(proof.all, list, lab);
    if (found) return found;
  }
  return null;
}

/**
 * What the server really answered to a held message: the held one is the first message after
 * `after` (the newest message when the answer was given) that the question's `when` describes; the
 * answer is the first message after it on the same connection matching `answer.from` — its field
 * `answer.field`, or its first word (a reply code). Null while that has not happened yet. A held message
 * edited before its release is found by what was held (`edited.original`): the answer is to the edit.
 */
export function actualAnswer(question: HeldQuestion, messages: readonly LabMessage[], after: string | null, lab: Protocol): { actual: string | null; edited?: string } {
  const mark = after === null ? -1 : messages.findIndex((m) => m.id === after);
  const asHeld = (m: LabMessage) => isQuestionMessage(question, m) || (m.edited !== undefined && isQuestionMessage(question, { dir: m.dir, text: m.edited.original }));
  const heldAt = messages.findIndex((m, i) => i > mark && m.protocol === lab && asHeld(m));
  if (heldAt < 0) return { actual: null };
  const held = messages[heldAt];
  const edited = held.edited ? { edited: held.text } : {};
  // The held message itself may carry the answer (a held 227: which port will the client connect to?).
  const reply = messages.find((m, i) => i >= heldAt && m.conn === held.conn && matchMessage(question.answer.from, m, lab));
  if (!reply) return { actual: null, ...edited };
  const field = question.answer.field;
  if (field !== undefined) return { actual: reply.fields?.find((f) => f.name === field)?.value ?? null, ...edited };
  return { actual: firstWord(reply.text), ...edited };
}

const firstWord = (text: string): string => text.trim().split(/\s+/)[0] ?? '';

/** A student's answer is right when it is the real one, or starts with it as its first word ("354 go ahead"), case aside. */
export function sameAnswer(given: string, actual: string): boolean {
  const g = given.trim().toLowerCase();
  const a = actual.trim().toLowerCase();
  return g === a || firstWord(g) === a;
}

/**
 * Each step's state from the lesson's messages (oldest first, only those since the lesson started)
 * and the held questions' answers. Steps are judged independently, in any order the student takes.
 */
export function evaluateLesson(lesson: Lesson, messages: readonly LabMessage[], answers: LessonAnswers): StepStatus[] {
  return lesson.steps.map((step) => {
    const proof = findProof(step.proof, messages, lesson.lab);
    const status: StepStatus = { step: step.id, done: proof !== null, proof: proof?.map((m) => m.id) ?? [] };
    if (step.whatIf) status.whatIfSeen = findProof(step.whatIf.proof, messages, lesson.lab) !== null;
    const answer = step.question && Object.hasOwn(answers, step.id) ? answers[step.id] : undefined;
    if (step.question && answer) {
      const { actual, edited } = actualAnswer(step.question, messages, answer.after, lesson.lab);
      status.answer = { given: answer.given, actual, correct: actual === null ? null : sameAnswer(answer.given, actual), ...(edited === undefined ? {} : { edited }) };
    }
    return status;
  });
}

/**
 * Orders messages of several connections as they happened: by wall-clock time (the connection's
 * start plus the message's offset), then per-connection order. `startedAt` gives each connection's start.
 */
export function chronological(messages: readonly LabMessage[], startedAt: (conn: string) => number): LabMessage[] {
  const at = (m: LabMessage) => startedAt(m.conn) + m.t;
  return [...messages].sort((a, b) => at(a) - at(b) || (a.conn === b.conn ? a.seq - b.seq : a.conn < b.conn ? -1 : 1));
}
