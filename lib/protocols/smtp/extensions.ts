/**
 * ESMTP service extensions as data: the keywords a server lists in its EHLO reply (RFC 5321 §4.1.1.1)
 * and the MAIL/RCPT parameters those extensions add. Prose is in text.en.ts under each row's key.
 */
import { ownRow } from './commands.ts';

/** One EHLO keyword: annotation key, defining RFC and what its parameters mean (if any). */
export interface ExtensionRow {
  keyword: string;
  key: string;
  ref: string;
  /** What the words after the keyword are, e.g. 'maximum message size in bytes'. */
  params?: 'size' | 'mechanisms' | 'list';
}

const ext = (keyword: string, ref: string, params?: ExtensionRow['params']): ExtensionRow =>
  params ? { keyword, key: `smtp.ext.${keyword}`, ref, params } : { keyword, key: `smtp.ext.${keyword}`, ref };

/** EHLO keywords the lab explains (IANA "SMTP Service Extensions" registry names). */
export const SMTP_EXTENSIONS: Readonly<Record<string, ExtensionRow>> = {
  PIPELINING: ext('PIPELINING', 'RFC 2920 §3'),
  '8BITMIME': ext('8BITMIME', 'RFC 6152 §2'),
  SMTPUTF8: ext('SMTPUTF8', 'RFC 6531 §3.1'),
  SIZE: ext('SIZE', 'RFC 1870 §3', 'size'),
  STARTTLS: ext('STARTTLS', 'RFC 3207 §2'),
  AUTH: ext('AUTH', 'RFC 4954 §3', 'mechanisms'),
  ENHANCEDSTATUSCODES: ext('ENHANCEDSTATUSCODES', 'RFC 2034 §3'),
  CHUNKING: ext('CHUNKING', 'RFC 3030 §2'),
  BINARYMIME: ext('BINARYMIME', 'RFC 3030 §3'),
  DSN: ext('DSN', 'RFC 3461 §2'),
  HELP: ext('HELP', 'RFC 5321 §4.1.1.8'),
  VRFY: ext('VRFY', 'RFC 5321 §4.1.1.6'),
  EXPN: ext('EXPN', 'RFC 5321 §4.1.1.7'),
  REQUIRETLS: ext('REQUIRETLS', 'RFC 8689 §2'),
  XCLIENT: ext('XCLIENT', 'Postfix XCLIENT_README (non-standard)', 'list'),
  XFORWARD: ext('XFORWARD', 'Postfix XFORWARD_README (non-standard)', 'list'),
};

/** Keywords not in the table; an X prefix marks a private, unregistered extension (RFC 5321 §4.1.5). */
export const UNKNOWN_EXTENSION: ExtensionRow = { keyword: '', key: 'smtp.ext.unknown', ref: 'RFC 5321 §2.2.2' };

/** Finds an EHLO keyword's row in any case (keywords are case-insensitive: RFC 5321 §4.1.1.1). */
export function lookupExtension(keyword: string): ExtensionRow {
  return ownRow(SMTP_EXTENSIONS, keyword.toUpperCase()) ?? UNKNOWN_EXTENSION;
}

/** One EHLO reply line after the greeting line, split into keyword and parameters. */
export interface EhloLine {
  keyword: string;
  params: string;
  row: ExtensionRow;
}

/** Splits the text of an EHLO reply line ("SIZE 10485760") into keyword and parameters. */
export function parseEhloLine(text: string): EhloLine {
  const trimmed = text.trim();
  const sp = trimmed.search(/\s/);
  const keyword = (sp === -1 ? trimmed : trimmed.slice(0, sp)).toUpperCase();
  const params = sp === -1 ? '' : trimmed.slice(sp + 1).trim();
  return { keyword, params, row: lookupExtension(keyword) };
}

/** One MAIL FROM / RCPT TO parameter: which extension added it, and where. */
export interface ParamRow {
  name: string;
  key: string;
  ref: string;
  extension: string;
}

const param = (name: string, extension: string, ref: string): ParamRow => ({ name, key: `smtp.param.${name}`, ref, extension });

/** ESMTP parameters on MAIL and RCPT (RFC 5321 §4.1.2 Mail-parameters / Rcpt-parameters). */
export const SMTP_PARAMETERS: Readonly<Record<string, ParamRow>> = {
  SIZE: param('SIZE', 'SIZE', 'RFC 1870 §3'),
  BODY: param('BODY', '8BITMIME', 'RFC 6152 §2'),
  SMTPUTF8: param('SMTPUTF8', 'SMTPUTF8', 'RFC 6531 §3.4'),
  AUTH: param('AUTH', 'AUTH', 'RFC 4954 §5'),
  RET: param('RET', 'DSN', 'RFC 3461 §4.3'),
  ENVID: param('ENVID', 'DSN', 'RFC 3461 §4.4'),
  NOTIFY: param('NOTIFY', 'DSN', 'RFC 3461 §4.1'),
  ORCPT: param('ORCPT', 'DSN', 'RFC 3461 §4.2'),
  REQUIRETLS: param('REQUIRETLS', 'REQUIRETLS', 'RFC 8689 §2'),
};

/** Parameters the lab does not know; a server answers 555 (RFC 5321 §4.1.1.11). */
export const UNKNOWN_PARAMETER: ParamRow = { name: '', key: 'smtp.param.unknown', ref: 'RFC 5321 §4.1.1.11', extension: '' };

/** Finds a MAIL/RCPT parameter's row by name in any case. */
export function lookupParameter(name: string): ParamRow {
  return ownRow(SMTP_PARAMETERS, name.toUpperCase()) ?? UNKNOWN_PARAMETER;
}
