/**
 * Masks the wire view's PASS argument on a control connection whose sandbox only its login can
 * tell (an external client once students have sandboxes). Until the login files the connection
 * nobody knows whose password it is, and a refused login (a mistyped password, another student's)
 * ends in the default sandbox's transcripts (lib/wire/recorder.ts drops its bytes then; this keeps
 * the transcript free of it). The byte count is kept, so step mode releases exactly the line's bytes.
 */
import { ftpAnnotation } from '../../../lib/protocols/ftp/annotate.ts';
import type { DissectedMessage, Dissector } from '../../../lib/protocols/types.ts';

/** A client line carrying PASS and an argument ("PASS x", "pass x"). */
const PASS_WITH_ARGUMENT = /^pass\s+\S/i;

function masked(message: DissectedMessage): DissectedMessage {
  if (message.dir !== 'client' || message.kind !== 'command' || !PASS_WITH_ARGUMENT.test(message.text)) return message;
  // A PASS pipelined behind AUTH TLS keeps its own warning; a plain one says why it is masked.
  const behindAuth = message.annotation?.key === 'ftp.cmd.after-auth';
  return {
    ...message,
    text: 'PASS ********',
    fields: [{ name: 'password', value: '(masked: whose it is is not known yet)', note: 'readable by anyone on the wire' }],
    annotation: behindAuth ? message.annotation : ftpAnnotation('ftp.cmd.PASS.masked', 'RFC 959 §4.1.1; RFC 2577 §5', 'warn'),
  };
}

/** `dissector` with every PASS argument masked in what it frames. */
export function maskPasswords(dissector: Dissector): Dissector {
  return {
    push: (dir, chunk) => dissector.push(dir, chunk).map(masked),
    end: () => dissector.end().map(masked),
  };
}
