/**
 * Walkers for the SOAP lessons (tests/lessons/harness.ts): curl posting envelopes to the Calendar
 * service through the SOAP tap (the HTTP console's requests), the soap package building a call from the
 * WSDL, and the lab's Mail binding route mailing requests through the SMTP lab.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import soap from 'soap';
import { soapContracts } from '../../servers/soap/lab/contracts.ts';
import { tool } from '../helpers/tools.ts';
import type { LessonWalker, WalkContext } from './harness.ts';

const run = promisify(execFile);

const CALENDAR = 'http://lab.test/soap/calendar';
const NS = { '1.1': 'http://schemas.xmlsoap.org/soap/envelope/', '1.2': 'http://www.w3.org/2003/05/soap-envelope' } as const;
type Version = keyof typeof NS;

/** A getMonth envelope in the namespace of `version` (the Own client tab's). */
const getMonth = (version: Version, month: number) =>
  `<?xml version="1.0"?>\n<s:Envelope xmlns:s="${NS[version]}" xmlns:c="${CALENDAR}">\n  <s:Body><c:getMonth><c:year>2003</c:year><c:month>${month}</c:month></c:getMonth></s:Body>\n</s:Envelope>\n`;

/** The headers each version's HTTP binding wants for getMonth. */
const headersOf = (version: Version): string[] =>
  version === '1.1'
    ? ['-H', 'Content-Type: text/xml; charset=utf-8', '-H', `SOAPAction: "${CALENDAR}/getMonth"`]
    : ['-H', `Content-Type: application/soap+xml; charset=utf-8; action="${CALENDAR}/getMonth"`];

/** POSTs `body` with curl; resolves with the HTTP status and the body. */
async function post(ctx: WalkContext, headers: string[], body: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run(tool('curl'), ['-sS', '--max-time', '15', '-w', '\n%{http_code}', `http://127.0.0.1:${ctx.port('soap')}/soap/calendar`, ...headers, '--data-binary', body], { timeout: 20_000 });
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

/** Fails unless `reply` has `status` and its body matches `pattern`. */
function expectReply(reply: { status: number; body: string }, status: number, pattern: RegExp, what: string): void {
  if (reply.status !== status || !pattern.test(reply.body)) throw new Error(`${what} → ${reply.status} ${reply.body.slice(0, 300)}`);
}

/** soap-envelopes: the same call in 1.1 and 1.2, then a 1.1 envelope sent as 1.2. */
function envelopes(): LessonWalker {
  return {
    lesson: 'soap-envelopes',
    steps: {
      soap11: async (ctx) => expectReply(await post(ctx, headersOf('1.1'), getMonth('1.1', 1)), 200, /January 2003/, 'SOAP 1.1 getMonth'),
      soap12: async (ctx) => expectReply(await post(ctx, headersOf('1.2'), getMonth('1.2', 1)), 200, /January 2003/, 'SOAP 1.2 getMonth'),
      'version-mismatch': async (ctx) => expectReply(await post(ctx, headersOf('1.2'), getMonth('1.1', 1)), 500, /VersionMismatch/, '1.1 envelope as 1.2'),
    },
  };
}

/** soap-faults: month 13 in both versions (the 1.2 one held for the question), then a good call under the Receiver fault. */
function faults(): LessonWalker {
  return {
    lesson: 'soap-faults',
    steps: {
      'client-fault': async (ctx) => expectReply(await post(ctx, headersOf('1.1'), getMonth('1.1', 13)), 500, /soap:Client/, 'SOAP 1.1 month 13'),
      'sender-fault': async (ctx) => {
        let reply: Promise<{ status: number; body: string }> | undefined;
        // The request is held at the tap, so curl is started, not awaited, before the answer is given.
        await ctx.answerHeld(() => void (reply = post(ctx, headersOf('1.2'), getMonth('1.2', 13))), '400');
        if (!reply) throw new Error('the request was not sent');
        expectReply(await reply, 400, /Sender/, 'SOAP 1.2 month 13');
      },
    },
    whatIfs: {
      'sender-fault': async (ctx) => expectReply(await post(ctx, headersOf('1.2'), getMonth('1.2', 2)), 500, /Receiver/, 'a good call under soap.receiver-fault'),
    },
  };
}

/** soap-wsdl: GET ?wsdl with curl, then the soap package building getYear from the WSDL. */
function wsdl(): LessonWalker {
  const url = (ctx: WalkContext) => `http://127.0.0.1:${ctx.port('soap')}/soap/calendar?wsdl`;
  return {
    lesson: 'soap-wsdl',
    steps: {
      fetch: async (ctx) => {
        const { stdout } = await run(tool('curl'), ['-sS', '--max-time', '15', url(ctx)], { timeout: 20_000 });
        if (!stdout.includes('wsdl:definitions')) throw new Error('no WSDL');
      },
      'generated-call': async (ctx) => {
        const client = await soap.createClientAsync(url(ctx));
        const [result] = (await client.getYearAsync({ year: 2003 })) as [{ calendar?: string }];
        if (!result.calendar?.includes('2003')) throw new Error(`getYear answered ${JSON.stringify(result)}`);
      },
    },
  };
}

/** soap-over-smtp: the Mail binding tab's requests (POST /api/soap/mail), answers awaited in its table. */
function overSmtp(): LessonWalker {
  /** Sends requests and waits until every row sent by this call is answered. */
  const mail = async (ctx: WalkContext, requests: { month: number; delayMs: number }[]) => {
    const { rows } = await ctx.lab.api(soapContracts.sendMail, { body: { requests: requests.map((r) => ({ operation: 'getMonth' as const, version: '1.2' as const, year: 2003, ...r })) } });
    const ids = new Set(rows.map((r) => r.messageId));
    for (;;) {
      const table = await ctx.lab.api(soapContracts.mailTable);
      const mine = table.rows.filter((r) => ids.has(r.messageId));
      if (mine.length === ids.size && mine.every((r) => r.state === 'answered')) return mine;
      if (mine.some((r) => r.state !== 'pending' && r.state !== 'answered')) throw new Error(`mail requests: ${JSON.stringify(mine)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    lesson: 'soap-over-smtp',
    steps: {
      'request-mail': async (ctx) => void (await mail(ctx, [{ month: 3, delayMs: 0 }])),
      'answer-mail': async (ctx) => void (await mail(ctx, [{ month: 4, delayMs: 0 }])),
      // The think times put February's answer first unless the machine stalls for ~3 s between the two
      // requests (a loaded CI run did once): then, like a student, send the pair again.
      'out-of-order': async (ctx) => {
        for (let attempt = 1; attempt <= 3; attempt++) {
          const rows = await mail(ctx, [{ month: 1, delayMs: 3000 }, { month: 2, delayMs: 100 }]);
          const arrival = (month: number) => rows.find((r) => r.args.month === month)?.answer?.arrivalOrder ?? 0;
          if (arrival(2) < arrival(1)) return;
        }
        throw new Error('out-of-order: three pairs of mailed requests were all answered in order');
      },
    },
  };
}

/** Every SOAP lesson's walker (tests/integration/lessons-walk-soap.test.ts). */
export const SOAP_WALKERS: readonly LessonWalker[] = [envelopes(), faults(), wsdl(), overSmtp()];
