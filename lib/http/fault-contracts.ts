/**
 * Contracts of the scripted-fault routes (issue 13): the catalogue with what is armed in the
 * caller's sandbox, and arming or disarming one rule there. A lesson's "what if" step and the
 * Faults menu of every lab page call the same POST.
 */
import { z } from 'zod';
import type { ArmedFault, FaultRule } from '../faults/types.ts';
import { PROTOCOLS } from '../wire/event.ts';
import { route } from './contract.ts';

const connId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const FaultRuleSchema: z.ZodType<FaultRule> = z.object({
  id: z.string(),
  lab: z.enum(PROTOCOLS),
  title: z.string(),
  explain: z.string(),
  ref: z.string().optional(),
  at: z.enum(['tap', 'server']),
  param: z.object({ name: z.string(), default: z.number(), min: z.number(), max: z.number() }).optional(),
  shared: z.boolean().optional(),
});

export const ArmedFaultSchema: z.ZodType<ArmedFault> = z.object({
  rule: z.string(),
  sandbox: z.string(),
  scope: z.discriminatedUnion('kind', [z.object({ kind: z.literal('sandbox') }), z.object({ kind: z.literal('connection'), conn: z.string() })]),
  remaining: z.number().nullable(),
  param: z.number().optional(),
  armedAt: z.number(),
  lesson: z.string().optional(),
});

/**
 * GET /api/faults and every POST answer: the catalogue (one lab's, with ?lab=), what is armed in the
 * caller's sandbox, and whether the caller is the machine owner (who alone arms a `shared` rule).
 */
export const FaultsReplySchema = z.object({ rules: z.array(FaultRuleSchema), armed: z.array(ArmedFaultSchema), owner: z.boolean() });
export type FaultsReply = z.infer<typeof FaultsReplySchema>;

export const faultContracts = {
  faults: route({
    method: 'GET',
    path: '/api/faults',
    query: z.object({ lab: z.enum(PROTOCOLS).optional() }),
    reply: FaultsReplySchema,
  }),
  /**
   * Arms (`enabled: true`) or disarms a rule in the caller's sandbox. scope 'sandbox' (default) or
   * 'connection' with `conn`; `times` = the next N occurrences (omitted: until disarmed); `param`
   * = the rule's number (ftp.data-drop's bytes, gateway.revoke-at-step's step); `lesson` = the lesson
   * whose what-if arms it (it must have one with this rule): leaving or restarting that lesson disarms it.
   */
  setFault: route({
    method: 'POST',
    path: '/api/faults',
    body: z.object({
      rule: z.string().regex(/^[a-z]+\.[a-z0-9-]{1,64}$/),
      enabled: z.boolean(),
      scope: z.enum(['sandbox', 'connection']).optional(),
      conn: connId.optional(),
      times: z.number().int().min(1).max(1000).nullable().optional(),
      param: z.number().int().optional(),
      lesson: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
    }),
    reply: FaultsReplySchema,
  }),
};
