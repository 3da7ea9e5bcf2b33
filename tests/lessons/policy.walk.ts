/**
 * Walkers for the WS-Policy lessons (tests/lessons/harness.ts): curl fetching the Orders WSDL through the
 * SOAP tap, and the page's own routes — the provider's admin switches, the client's settings, fetch (GET
 * or MEX) and call — whose policy client calls the provider through the same tap.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { policyContracts as c, type ClientSettings } from '../../servers/policy/lab/contracts.ts';
import { tool } from '../helpers/tools.ts';
import type { LessonWalker, WalkContext } from './harness.ts';

const run = promisify(execFile);

/** The client as the page starts it: both RM versions, lax, WS-Addressing on, no dispatch rule. */
const CLIENT_DEFAULTS: Partial<ClientSettings> = { addressing: true, rm: ['1.1', '1.0'], mode: 'lax', dispatch: false };

/** Calls placeOrder from the Call tab; fails unless the call ends as `ok` says, and returns the ladder's kinds. */
async function placeOrder(ctx: WalkContext, ok: boolean): Promise<string[]> {
  const reply = await ctx.lab.api(c.call, { body: { operation: 'placeOrder', args: { item: 'pen', quantity: '2' }, retry: true } });
  const kinds = reply.ladder.map((r) => r.kind);
  if (reply.ok !== ok) throw new Error(`placeOrder ok=${reply.ok} (${reply.stopped ?? reply.result}); ladder ${kinds.join(' → ')}`);
  return kinds;
}

/** The RM version the client chose for placeOrder from its cached policy. */
async function chosenRm(ctx: WalkContext): Promise<string | null | undefined> {
  const state = await ctx.lab.api(c.state);
  return state.computation?.operations.find((o) => o.operation === 'placeOrder')?.chosen?.rm;
}

/** policy-attachment: the WSDL by curl, then the page's GET fetch. */
function attachment(): LessonWalker {
  return {
    lesson: 'policy-attachment',
    steps: {
      scopes: async (ctx) => {
        await ctx.lab.api(c.provider, { body: { addressing: true, rm: 'both', empty: false } });
        const { stdout } = await run(tool('curl'), ['-sS', '--max-time', '15', `http://127.0.0.1:${ctx.port('soap')}/soap/orders?wsdl`], { timeout: 20_000 });
        if (!stdout.includes('wsp:PolicyReference')) throw new Error('the WSDL attaches no policy by reference');
      },
      'normal-form': async (ctx) => {
        // Proved by the client's own fetch (the Effective policy tab), never by the curl of the step before.
        const before = await ctx.state();
        if (before.status.find((s) => s.step === 'normal-form')?.done) throw new Error('normal-form was done by the scopes step\'s curl');
        const state = await ctx.lab.api(c.fetch, { body: { via: 'get' } });
        const rm = state.computation?.subjects.find((s) => s.kind === 'endpoint')?.normal;
        if (!rm || rm.length < 2) throw new Error(`the endpoint's normal form has ${rm?.length ?? 0} alternative(s), expected one per RM version`);
      },
    },
  };
}

/** policy-intersection: fetch by MEX and call; the provider switched under a cached RM 1.0 client; the drop-rm10 what-if. */
function intersection(): LessonWalker {
  return {
    lesson: 'policy-intersection',
    steps: {
      'intersect-and-call': async (ctx) => {
        await ctx.lab.api(c.provider, { body: { addressing: true, rm: 'both', empty: false } });
        await ctx.lab.api(c.client, { body: CLIENT_DEFAULTS });
        await ctx.lab.api(c.fetch, { body: { via: 'mex' } });
        if ((await chosenRm(ctx)) !== '1.1') throw new Error('the client did not choose RM 1.1, the newest both accept');
        await placeOrder(ctx, true);
      },
      refresh: async (ctx) => {
        await ctx.lab.api(c.provider, { body: { rm: '1.0' } });
        await ctx.lab.api(c.fetch, { body: { via: 'get' } });
        await placeOrder(ctx, true);
        await ctx.lab.api(c.provider, { body: { rm: '1.1' } });
        const kinds = await placeOrder(ctx, true);
        if (kinds.join(' ') !== 'fault refresh fetch retry create-sequence call terminate-sequence') throw new Error(`ladder ${kinds.join(' → ')}`);
        // For the what-if: a client that speaks RM 1.0 only, with RM 1.0 cached from a provider offering both.
        await ctx.lab.api(c.provider, { body: { rm: 'both' } });
        await ctx.lab.api(c.client, { body: { rm: ['1.0'] } });
        await ctx.lab.api(c.fetch, { body: { via: 'get' } });
        if ((await chosenRm(ctx)) !== '1.0') throw new Error('the RM 1.0-only client did not cache RM 1.0');
      },
    },
    whatIfs: {
      refresh: async (ctx) => {
        try {
          const kinds = await placeOrder(ctx, false);
          if (!kinds.includes('fault') || kinds.at(-1) !== 'stop') throw new Error(`ladder ${kinds.join(' → ')}`);
          await ctx.lab.api(c.client, { body: { rm: ['1.1', '1.0'] } });
          await placeOrder(ctx, true);
        } finally {
          await ctx.lab.api(c.client, { body: CLIENT_DEFAULTS });
        }
      },
    },
  };
}

/** Every WS-Policy lesson's walker (tests/integration/lessons-walk-policy.test.ts). */
export const POLICY_WALKERS: readonly LessonWalker[] = [attachment(), intersection()];
