/**
 * What every annotation's prose must be for a student: it does not open by repeating its own title
 * ("354 Start mail input: Start mail input…"), and it names no library or source document the student
 * never sees ("smtp-server accepts…", "the seed article's Listing 5").
 */

/** Names of the lab's own dependencies and sources, which belong in README, not in a lesson. */
const INTERNALS = /smtp-server|nodemailer|mailparser|mailsplit|ftp-srv|basic-ftp|\bssh2\b|ssh2-sftp-client|node-soap|soap package|fast-xml-parser|better-sqlite3|node\.js|\bseed\b|listing \d/i;

const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();

/** The problems with one annotation's title and explanation; empty when it reads well. */
export function proseProblems(title: string, explain: string): string[] {
  const problems: string[] = [];
  const body = words(explain);
  // The title without its reply code and enhanced code ("250 2.1.0 Sender ok" → "sender ok") and without a qualifier after ':' or '('.
  const core = words(title.replace(/^\d{3}(?: \d\.\d{1,3}\.\d{1,3})? /, '').split(/[:(]/)[0] ?? '');
  if (body && (body.startsWith(words(title)) || (core.length > 3 && body.startsWith(core)))) problems.push('repeats its title');
  const internal = `${title} ${explain}`.match(INTERNALS);
  if (internal) problems.push(`names "${internal[0]}"`);
  return problems;
}
