/**
 * The protocol kit's prose and annotator: every protocol keeps its facts in tables (key, source,
 * level) and its teaching prose in a text file (key → title, explanation); one annotator joins
 * them into the Annotation a message carries. Unknown keys still yield a usable annotation, so a
 * missing text never breaks a transcript.
 */
import type { Annotation, Level } from '../../wire/event.ts';

/** Title (one line) and explanation (a few sentences) for one annotation key, in one language. */
export interface Prose {
  title: string;
  explain: string;
}

/** A language's prose, keyed by annotation key ('smtp.reply.250', 'ftp.cmd.PASV'…). */
export type ProseBook = Readonly<Record<string, Prose>>;

/** A fact row: the key its prose is filed under, the source it cites, how alarming it is. */
export interface Fact {
  key: string;
  ref?: string;
  level?: Level;
}

/** What a call site may add to a fact: the concrete case appended to the explanation, overrides. */
export interface AnnotateOptions {
  level?: Level;
  ref?: string;
  /** Replaces the prose title (e.g. an HTTP status line's own reason phrase). */
  title?: string;
  /** Appended to the explanation. */
  extra?: string;
}

/** The one annotator signature every protocol uses: a fact (or a bare key) in, an Annotation out. */
export type Annotator = (fact: Fact | string, options?: AnnotateOptions) => Annotation;

/** How a protocol's annotator finds its prose and, for bare keys, its fact rows. */
export interface AnnotatorSource {
  prose: ProseBook;
  /** Facts by key, for call sites that pass only a key. */
  facts?: (key: string) => Fact | undefined;
  /** Prose for a key the book lacks; by default the key as title and no explanation. */
  missing?: (key: string) => Prose;
}

/** The book's own entry for `key` (never an inherited property such as 'constructor'). */
export function proseOf(book: ProseBook, key: string): Prose | undefined {
  return Object.hasOwn(book, key) ? book[key] : undefined;
}

const keyAsTitle = (key: string): Prose => ({ title: key, explain: '' });

/** Most plain annotations an annotator keeps (its keys come from tables: far fewer in practice). */
const MAX_CACHED = 4096;

/**
 * Builds a protocol's annotator. The level defaults to 'info'; `ref` is left out when nothing cites one.
 * A plain annotation (no options) is built once per key and shared by every message that carries it:
 * labs annotate each of thousands of lines a second, and one shared object is also cloned once per
 * batch to the store's writer thread, not once per message. Nothing changes an annotation once made.
 */
export function createAnnotator(source: AnnotatorSource): Annotator {
  const missing = source.missing ?? keyAsTitle;
  const plain = new Map<string, Annotation>();
  return (fact, options = {}) => {
    const row: Fact = typeof fact === 'string' ? (source.facts?.(fact) ?? { key: fact }) : fact;
    const level = options.level ?? row.level ?? 'info';
    const ref = options.ref ?? row.ref;
    const isPlain = options.title === undefined && !options.extra;
    if (isPlain) {
      const made = plain.get(row.key);
      if (made && made.ref === ref && made.level === level) return made;
    }
    const prose = proseOf(source.prose, row.key) ?? missing(row.key);
    const explain = options.extra ? [prose.explain, options.extra].filter(Boolean).join(' ') : prose.explain;
    const title = options.title ?? prose.title;
    const annotation: Annotation = ref === undefined ? { key: row.key, title, explain, level } : { key: row.key, title, explain, ref, level };
    if (isPlain && plain.size < MAX_CACHED) plain.set(row.key, annotation);
    return annotation;
  };
}
