/**
 * Lesson text names the reader's own login and the lab's addresses with tokens, filled in when the
 * lesson is served: a `try` line's Send must send what works in the reader's sandbox (a student's
 * login is the sandbox id, not "student"; the password is the sandbox's), and ports come from the
 * environment (README's port table), not from the text.
 *
 *   {{user}} {{password}}   the reader's login
 *   {{host}}                the address the reader's own clients use
 *   {{port smtp}}           the first public port of that lab (ZeroMQ: its REQ/REP port)
 *   {{port zmq-pub}}        one port of a lab with several, by its role (lib/labs/about.ts `roles`)
 *   {{auth-plain}}          AUTH PLAIN's argument: base64 of NUL user NUL password (RFC 4616 §2)
 */
import type { Lesson, LessonStep } from './types.ts';

/** Who reads the lesson, and where the lab answers them. */
export interface LessonReader {
  user: string;
  password: string;
  host: string;
  /** Each lab's first public port, by lab id, and each port of a lab with several by `<lab id>-<role>`. */
  ports: Readonly<Record<string, number>>;
}

const TOKEN = /\{\{([a-z-]+)(?: ([a-z-]+))?\}\}/g;

/**
 * What each token is for a reader; `arg` is the word after the name ('port smtp'). undefined: not
 * filled (a token without its argument, a lab not running), so the text shows it as written.
 */
const FILLERS: Readonly<Record<string, (reader: LessonReader, arg: string | undefined) => string | undefined>> = {
  user: (reader, arg) => (arg ? undefined : reader.user),
  password: (reader, arg) => (arg ? undefined : reader.password),
  host: (reader, arg) => (arg ? undefined : reader.host),
  // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd, sent in base64 (RFC 4954 §4).
  'auth-plain': (reader, arg) => (arg ? undefined : Buffer.from(`\0${reader.user}\0${reader.password}`, 'utf8').toString('base64')),
  port: (reader, arg) => (arg && reader.ports[arg] !== undefined ? String(reader.ports[arg]) : undefined),
};

/** The tokens a lesson may use; a lesson test rejects any other. */
export const READER_TOKENS: readonly string[] = Object.keys(FILLERS);

/** Every token in `text`, as written ('port smtp'). */
export function tokensIn(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => (m[2] ? `${m[1]} ${m[2]}` : m[1]));
}

/** `text` with each token the reader has a value for filled in; anything else stays as written. */
export function fillForReader(text: string, reader: LessonReader): string {
  return text.replace(TOKEN, (whole, name: string, arg: string | undefined) => (Object.hasOwn(FILLERS, name) ? FILLERS[name](reader, arg) : undefined) ?? whole);
}

/** The lesson as `reader` reads it: its instructions, try lines and hints filled in (titles and proofs carry no tokens). */
export function lessonForReader(lesson: Lesson, reader: LessonReader): Lesson {
  const fill = (text: string) => fillForReader(text, reader);
  const step = (s: LessonStep): LessonStep => ({
    ...s,
    do: fill(s.do),
    hints: s.hints.map(fill),
    ...(s.try ? { try: s.try.map(fill) } : {}),
    ...(s.shell ? { shell: s.shell.map(fill) } : {}),
    ...(s.whatIf ? { whatIf: { ...s.whatIf, explain: fill(s.whatIf.explain) } } : {}),
  });
  return { ...lesson, goal: fill(lesson.goal), steps: lesson.steps.map(step) };
}
