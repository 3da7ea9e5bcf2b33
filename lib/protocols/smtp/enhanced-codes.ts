/**
 * RFC 3463 enhanced mail system status codes as data: `class.subject.detail`, e.g. `5.7.1`.
 * Servers that announce ENHANCEDSTATUSCODES (RFC 2034) put one after the reply code. Facts only;
 * the words live in text.en.ts under `smtp.esc.class.N`, `smtp.esc.subject.N` and `smtp.esc.X.S.D`.
 */

/** One class, subject or detail row: its annotation key and where it is defined. */
export interface EnhancedRow {
  key: string;
  ref: string;
}

/** The first digit: 2 success, 4 persistent transient failure, 5 permanent failure (RFC 3463 §3). */
export const ENHANCED_CLASSES: Readonly<Record<string, EnhancedRow>> = {
  '2': { key: 'smtp.esc.class.2', ref: 'RFC 3463 §2' },
  '4': { key: 'smtp.esc.class.4', ref: 'RFC 3463 §2' },
  '5': { key: 'smtp.esc.class.5', ref: 'RFC 3463 §2' },
};

/** The second number: which part of the system the status is about (RFC 3463 §3.1–§3.8). */
export const ENHANCED_SUBJECTS: Readonly<Record<string, EnhancedRow>> = {
  '0': { key: 'smtp.esc.subject.0', ref: 'RFC 3463 §3.1' },
  '1': { key: 'smtp.esc.subject.1', ref: 'RFC 3463 §3.2' },
  '2': { key: 'smtp.esc.subject.2', ref: 'RFC 3463 §3.3' },
  '3': { key: 'smtp.esc.subject.3', ref: 'RFC 3463 §3.4' },
  '4': { key: 'smtp.esc.subject.4', ref: 'RFC 3463 §3.5' },
  '5': { key: 'smtp.esc.subject.5', ref: 'RFC 3463 §3.6' },
  '6': { key: 'smtp.esc.subject.6', ref: 'RFC 3463 §3.7' },
  '7': { key: 'smtp.esc.subject.7', ref: 'RFC 3463 §3.8' },
};

/** Subject.detail pairs worth naming; their meaning does not depend on the class digit. */
export const ENHANCED_DETAILS: Readonly<Record<string, EnhancedRow>> = {
  '0.0': { key: 'smtp.esc.X.0.0', ref: 'RFC 3463 §3.1' },
  '1.0': { key: 'smtp.esc.X.1.0', ref: 'RFC 3463 §3.2' },
  '1.1': { key: 'smtp.esc.X.1.1', ref: 'RFC 3463 §3.2' },
  '1.2': { key: 'smtp.esc.X.1.2', ref: 'RFC 3463 §3.2' },
  '1.3': { key: 'smtp.esc.X.1.3', ref: 'RFC 3463 §3.2' },
  '1.5': { key: 'smtp.esc.X.1.5', ref: 'RFC 3463 §3.2' },
  '1.6': { key: 'smtp.esc.X.1.6', ref: 'RFC 3463 §3.2' },
  '1.7': { key: 'smtp.esc.X.1.7', ref: 'RFC 3463 §3.2' },
  '1.8': { key: 'smtp.esc.X.1.8', ref: 'RFC 3463 §3.2' },
  '2.0': { key: 'smtp.esc.X.2.0', ref: 'RFC 3463 §3.3' },
  '2.1': { key: 'smtp.esc.X.2.1', ref: 'RFC 3463 §3.3' },
  '2.2': { key: 'smtp.esc.X.2.2', ref: 'RFC 3463 §3.3' },
  '2.3': { key: 'smtp.esc.X.2.3', ref: 'RFC 3463 §3.3' },
  '3.0': { key: 'smtp.esc.X.3.0', ref: 'RFC 3463 §3.4' },
  '3.4': { key: 'smtp.esc.X.3.4', ref: 'RFC 3463 §3.4' },
  '4.2': { key: 'smtp.esc.X.4.2', ref: 'RFC 3463 §3.5' },
  '5.0': { key: 'smtp.esc.X.5.0', ref: 'RFC 3463 §3.6' },
  '5.1': { key: 'smtp.esc.X.5.1', ref: 'RFC 3463 §3.6' },
  '5.2': { key: 'smtp.esc.X.5.2', ref: 'RFC 3463 §3.6' },
  '5.3': { key: 'smtp.esc.X.5.3', ref: 'RFC 3463 §3.6; RFC 5321 §4.5.3.1.10' },
  '5.4': { key: 'smtp.esc.X.5.4', ref: 'RFC 3463 §3.6' },
  '5.6': { key: 'smtp.esc.X.5.6', ref: 'RFC 4954 §6' },
  '6.0': { key: 'smtp.esc.X.6.0', ref: 'RFC 3463 §3.7' },
  '7.0': { key: 'smtp.esc.X.7.0', ref: 'RFC 3463 §3.8' },
  '7.1': { key: 'smtp.esc.X.7.1', ref: 'RFC 3463 §3.8' },
  '7.8': { key: 'smtp.esc.X.7.8', ref: 'RFC 4954 §6' },
  '7.9': { key: 'smtp.esc.X.7.9', ref: 'RFC 4954 §6' },
  '7.11': { key: 'smtp.esc.X.7.11', ref: 'RFC 4954 §6' },
};

/** An enhanced status code found at the start of a reply's text. */
export interface EnhancedCode {
  code: string;
  cls: string;
  subject: string;
  detail: string;
  /** RFC 2034 §4: the class digit must agree with the reply code's first digit. */
  classMatches: boolean;
}

// status-code = class "." subject "." detail; subject and detail are 1–3 digits (RFC 3463 §2).
const ENHANCED_RE = /^([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$)/;

/** Reads `5.7.1` from reply text like "5.7.1 Relaying denied"; undefined when there is none. */
export function parseEnhancedCode(text: string, replyCode: number): EnhancedCode | undefined {
  const m = ENHANCED_RE.exec(text);
  if (!m) return undefined;
  const [, cls = '', subject = '', detail = ''] = m;
  return {
    code: `${cls}.${subject}.${detail}`,
    cls,
    subject,
    detail,
    classMatches: String(Math.floor(replyCode / 100)) === cls,
  };
}
