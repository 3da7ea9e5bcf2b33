/**
 * SMTP's tap-side rules. The lab pairs each command with the reply that answers it (RFC 5321
 * §4.1: one reply per command, in order, also when pipelined, RFC 2920 §3), so a command it keeps
 * from the server is answered in its turn: after the server's replies to the commands before it.
 */
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import { injectedLine, injectedNote, type Injection } from './injected.ts';
import type { FaultDecision, ProtocolFaults, RuleContext } from './tap-faults.ts';

const RCPT_451 = 'smtp.rcpt-451-second';
const DATA_554 = 'smtp.data-554';
const CLOSE_AFTER_MAIL = 'smtp.close-after-mail';

/** A command waiting for its reply; `answer` set when the lab answers it instead of the server. */
interface Awaiting {
  verb: string;
  answer?: Injection;
}

const verbOf = (message: DissectedMessage): string => (message.fields?.find((f) => f.name === 'verb')?.value ?? message.text.split(' ')[0] ?? '').toUpperCase();

export function smtpFaults(): ProtocolFaults {
  const awaiting: Awaiting[] = [];
  let rcpts = 0;

  /** The lab answers a command it kept back: now if nothing is pending before it, else in its turn. */
  const keepBack = (message: DissectedMessage, answer: Injection, note: DissectedMessage): FaultDecision => {
    if (awaiting.length === 0) return { swallow: note, answer };
    awaiting.push({ verb: verbOf(message), answer });
    return { swallow: note };
  };

  const onClient = (ctx: RuleContext, message: DissectedMessage): FaultDecision | null => {
    if (message.kind === 'data-end') awaiting.push({ verb: 'DATA-END' });
    if (message.kind === 'auth-response') awaiting.push({ verb: 'AUTH' });
    if (message.kind !== 'command') return null;
    const verb = verbOf(message);
    if (verb === 'MAIL' || verb === 'RSET' || verb === 'EHLO' || verb === 'HELO') rcpts = 0;
    if (verb === 'RCPT' && ++rcpts === 2) {
      const fired = ctx.fire(RCPT_451);
      if (fired) {
        const answer = injectedLine(fired.rule, 'server', '451 4.3.0 Requested action aborted: local error in processing', [
          { name: 'code', value: '451' },
          { name: 'enhanced code', value: '4.3.0', note: 'other or undefined mail system status (RFC 3463 §3.4)' },
        ]);
        return keepBack(message, answer, injectedNote(fired.rule, `The lab kept "${message.text}" from the server and answers it 451 itself: the server never sees this recipient.`));
      }
    }
    if (verb === 'DATA') {
      rcpts = 0;
      const fired = ctx.fire(DATA_554);
      if (fired) {
        const answer = injectedLine(fired.rule, 'server', '554 5.3.0 Transaction failed', [
          { name: 'code', value: '554' },
          { name: 'enhanced code', value: '5.3.0', note: 'other or undefined mail system status (RFC 3463 §3.4)' },
        ]);
        return keepBack(message, answer, injectedNote(fired.rule, 'The lab kept DATA from the server and refuses it with 554 itself: the client must not send the message.'));
      }
    }
    awaiting.push({ verb });
    return null;
  };

  const onServer = (ctx: RuleContext, message: DissectedMessage): FaultDecision | null => {
    if (message.kind !== 'reply') return null;
    const answered = awaiting.shift();
    // The lab's answers to commands it kept back go out as soon as their turn comes.
    const after: Injection[] = [];
    while (awaiting[0]?.answer) after.push(awaiting.shift()!.answer!);
    if (answered?.verb === 'MAIL') {
      const fired = ctx.fire(CLOSE_AFTER_MAIL);
      if (fired) {
        // RFC 5321 §3.8: a server may close on its own only after a 421; the client reads it after its next command.
        const goodbye = injectedLine(fired.rule, 'server', '421 4.3.2 Service shutting down, closing transmission channel', [
          { name: 'code', value: '421' },
          { name: 'enhanced code', value: '4.3.2', note: 'system not accepting network messages (RFC 3463 §3.4)' },
        ]);
        awaiting.length = 0;
        return { after: [...after, goodbye, { bytes: Buffer.alloc(0), message: injectedNote(fired.rule, 'The lab closes the connection (421 first, as RFC 5321 §3.8 asks of a server that shuts down).') }], close: true };
      }
    }
    return after.length ? { after } : null;
  };

  return {
    framingRules: [RCPT_451, DATA_554, CLOSE_AFTER_MAIL],
    busy: () => awaiting.some((entry) => entry.answer !== undefined),
    decide: (ctx, dir: StreamDir, message) => (dir === 'client' ? onClient(ctx, message) : onServer(ctx, message)),
  };
}
