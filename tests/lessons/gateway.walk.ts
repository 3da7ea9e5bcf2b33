/**
 * Walkers for the access-control lessons (tests/lessons/harness.ts): curl calling the services as bob,
 * alice, mallory or nobody through the gateway's tap, and the page's own routes for what a student does
 * there — Sync in the Catalogue tab, suspending a subscription and the blacklist in the Model tab.
 */
import { accessContracts as a } from '../../servers/gateway/lab/contracts.ts';
import { curl, demoModel, type As, type CurlReply } from '../integration/gateway-helpers.ts';
import type { LessonWalker, WalkContext } from './harness.ts';

const BORROW = { type: 'application/json', text: '{"isbn":"9780132126953"}' };

/** One request with curl; fails unless it gets `status`. */
async function call(ctx: WalkContext, method: string, path: string, as: As, status: number, body?: typeof BORROW): Promise<CurlReply> {
  const reply = await curl(ctx.lab, method, path, as, body);
  if (reply.status !== status) throw new Error(`${method} ${path} as ${JSON.stringify(as)} → ${reply.status}, expected ${status}: ${reply.body.slice(0, 300)}`);
  return reply;
}

/** Sets the state of bob's subscription (community university → basic), as the Model tab's switch does. */
async function bobsSubscription(ctx: WalkContext, state: 'active' | 'suspended'): Promise<void> {
  const model = await demoModel(ctx.lab);
  const university = model.id('communities', 'university');
  const sub = model.subscriptions.find((s) => s.group.kind === 'community' && s.group.id === university && s.product === model.id('products', 'basic'));
  if (!sub) throw new Error('no subscription community university → basic');
  await ctx.lab.api(a.subscriptions.update, { params: { id: sub.id }, body: { group: sub.group, product: sub.product, state } });
}

/** Answers the held question about a request curl sends, then checks the status it got. */
async function heldRequest(ctx: WalkContext, request: () => Promise<CurlReply>, answer: string): Promise<void> {
  let reply: Promise<CurlReply> | undefined;
  // The request waits at the tap: curl is started, not awaited, before the answer is given.
  await ctx.answerHeld(() => void (reply = request()), answer);
  if (!reply) throw new Error('the request was not sent');
  const { status } = await reply;
  if (String(status) !== answer) throw new Error(`the held request got ${status}, expected ${answer}`);
}

/** gateway-catalogue: permit, 401, a held 403, alice's products, and Sync v2. */
function catalogue(): LessonWalker {
  return {
    lesson: 'gateway-catalogue',
    steps: {
      permit: async (ctx) => void (await call(ctx, 'GET', '/api/library/books', { user: 'bob' }, 200)),
      'who-are-you': async (ctx) => void (await call(ctx, 'GET', '/api/library/books', null, 401)),
      deny: (ctx) => heldRequest(ctx, () => curl(ctx.lab, 'POST', '/api/library/loans', { user: 'bob' }, BORROW), '403'),
      products: async (ctx) => void (await call(ctx, 'POST', '/api/library/loans', { user: 'alice' }, 201, BORROW)),
      sync: async (ctx) => {
        const { diff } = await ctx.lab.api(a.sync, { body: { version: 'v2' } });
        try {
          if (!diff.added.includes('library.renew') || !diff.changed.some((c) => c.id === 'grades.record')) throw new Error(`Sync v2 diff: ${JSON.stringify(diff)}`);
          await call(ctx, 'POST', '/api/library/loans/1/renewal', { user: 'alice' }, 403, BORROW);
          // grades.record moved: its v1 URI matches no route of v2.
          await call(ctx, 'PUT', '/api/grades/bob/net101', { user: 'alice' }, 404, { type: 'application/json', text: '{"grade":"A"}' });
        } finally {
          await ctx.lab.api(a.sync, { body: { version: 'v1' } });
        }
      },
    },
  };
}

/** gateway-revoke: a held request after suspending, activate again, the blacklist; the revoke-at-step what-if. */
function revoke(): LessonWalker {
  return {
    lesson: 'gateway-revoke',
    steps: {
      suspend: async (ctx) => {
        await call(ctx, 'GET', '/api/library/books', { user: 'bob' }, 200);
        await bobsSubscription(ctx, 'suspended');
        await heldRequest(ctx, () => curl(ctx.lab, 'GET', '/api/library/books', { user: 'bob' }), '403');
      },
      reactivate: async (ctx) => {
        await bobsSubscription(ctx, 'active');
        await call(ctx, 'GET', '/api/library/books', { user: 'bob' }, 200);
      },
      blacklist: async (ctx) => {
        await call(ctx, 'GET', '/api/library/books', { user: 'mallory' }, 403);
        const alice = (await demoModel(ctx.lab)).id('users', 'alice');
        const row = await ctx.lab.api(a.blacklist.create, { body: { user: alice, reason: 'lesson: the blacklist comes first' } });
        try {
          await call(ctx, 'POST', '/api/library/loans', { user: 'alice' }, 403, BORROW);
        } finally {
          await ctx.lab.api(a.blacklist.remove, { params: { id: row.id } });
        }
        await call(ctx, 'POST', '/api/library/loans', { user: 'alice' }, 201, BORROW);
      },
    },
    whatIfs: {
      // Armed at step 3 (the rule's default): the third request of the sandbox loses its subscription.
      reactivate: async (ctx) => {
        try {
          await call(ctx, 'GET', '/api/library/books', { user: 'bob' }, 200);
          await call(ctx, 'GET', '/api/library/books', { user: 'bob' }, 200);
          await call(ctx, 'GET', '/api/library/books', { user: 'bob' }, 403);
        } finally {
          await bobsSubscription(ctx, 'active');
        }
      },
    },
  };
}

/** Every access-control lesson's walker (tests/integration/lessons-walk-gateway.test.ts). */
export const GATEWAY_WALKERS: readonly LessonWalker[] = [catalogue(), revoke()];
