/**
 * Annotation-key patterns, as a display filter reads them: `smtp.reply.550` matches that key and
 * every key under it (`smtp.reply.550.relay`), `smtp.reply.5xx` matches any 5xx reply (550, 554 and
 * the class row `smtp.reply.5xx` itself), `smtp.reply.*` any reply, `smtp.cmd.R*` RCPT and RSET.
 * Segments compare without regard to case, so `ftp.cmd.pasv` finds PASV. Keys are dotted like
 * display filters (STYLE.md "Conventions"): the pattern works on whole segments, never on a part.
 */

/** A compiled key pattern: one matcher per dotted segment. */
export interface KeyPattern {
  /** The pattern as typed, for descriptions and errors. */
  source: string;
  segments: readonly SegmentMatcher[];
}

type SegmentMatcher = (segment: string) => boolean;

/**
 * The first segments annotation keys start with (one per dissector or lab namespace, see
 * lib/protocols/<p>/text.en.ts and the labs' notes): a dotted word starting with one of them is a
 * key pattern, any other dotted word (`lab.test`, `example.com`) is text to look for.
 * key-pattern.test.ts fails if a prose table files a key under a namespace missing here. The lab's
 * own `lab.transcript.capped` is left out on purpose: `lab.test` is the lab's mail domain, searched
 * as text (`key:lab.transcript` still finds the note).
 */
export const KEY_NAMESPACES: ReadonlySet<string> = new Set([
  'smtp', 'ftp', 'ssh', 'sftp', 'soap', 'http', 'api', 'xml', 'wsdl', 'zmtp', 'access', 'policy', 'fault',
]);

/** A segment of digits and x's (`5xx`, `55x`): a reply-code class, each x standing for any digit. */
const CLASS_SEGMENT = /^(?=.*\d)(?=.*x)[\dx]+$/i;

function segmentMatcher(part: string): SegmentMatcher {
  const lower = part.toLowerCase();
  if (lower === '*') return () => true;
  if (CLASS_SEGMENT.test(lower)) {
    // 'x' in the key too: the class rows (`smtp.reply.5xx`) are found by their own class.
    const re = new RegExp(`^${lower.replace(/x/g, '[0-9x]')}$`, 'i');
    return (segment) => re.test(segment);
  }
  if (lower.includes('*')) {
    const re = new RegExp(`^${lower.split('*').map(escapeRegExp).join('.*')}$`, 'i');
    return (segment) => re.test(segment);
  }
  return (segment) => segment.toLowerCase() === lower;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a pattern; null when it names no segment at all ('', '.'). A trailing dot means "anything under". */
export function compileKeyPattern(source: string): KeyPattern | null {
  const parts = source.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  if (parts.some((p) => p === '')) return null;
  return { source, segments: parts.map(segmentMatcher) };
}

/** Whether `key` is the pattern's key or lies under it, segment by segment. */
export function matchesKey(pattern: KeyPattern, key: string | undefined): boolean {
  if (!key) return false;
  const segments = key.split('.');
  if (segments.length < pattern.segments.length) return false;
  return pattern.segments.every((match, i) => match(segments[i]));
}

/** Whether a bare word reads as a key pattern: dotted, starting with a known namespace or `*` (every protocol). */
export function looksLikeKey(word: string): boolean {
  const dot = word.indexOf('.');
  const first = word.slice(0, dot).toLowerCase();
  return dot > 0 && (first === '*' || KEY_NAMESPACES.has(first));
}
