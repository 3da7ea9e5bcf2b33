import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from './api';
import { exampleBody, examplePath, ladderArrows, traceLine } from './examples';

const rest = (method: string, uriTemplate: string, fields: string[]) => ({ method, uriTemplate, protocol: 'rest' as const, request: { name: 'X', array: false, fields: fields.map((name) => ({ name, type: 'string', optional: true })) } });

describe('example requests', () => {
  it('fills template variables from the seeded data and people from the caller', () => {
    expect(examplePath(rest('PUT', '/api/grades/{student}/{courseId}', ['student', 'courseId', 'grade']), 'bob')).toBe('/api/grades/bob/NET101');
    expect(exampleBody(rest('PUT', '/api/grades/{student}/{courseId}', ['student', 'courseId', 'grade']), 'bob')).toBe('{"grade":"A"}');
  });

  it('adds a known query field to a GET and sends no body with it', () => {
    expect(examplePath(rest('GET', '/api/library/books', ['q']), 'alice')).toBe('/api/library/books?q=tcp');
    expect(exampleBody(rest('GET', '/api/library/books', ['q']), 'alice')).toBeUndefined();
  });

  it('sends no body where every field is in the path', () => {
    expect(exampleBody(rest('POST', '/api/courses/{courseId}/enrolments', ['courseId']), 'alice')).toBeUndefined();
    expect(exampleBody(rest('POST', '/api/library/loans', ['isbn']), 'alice')).toBe('{"isbn":"9780132126953"}');
  });
});

const decision = (over: Partial<DecisionRecord>): DecisionRecord => ({
  id: 1, at: 0, conn: 'c', method: 'POST', path: '/api/library/loans', service: 'library.borrow', user: 'bob', via: 'basic', outcome: 'deny', status: 403, reason: 'no',
  trace: [{ step: 'user', ok: true, items: ['bob'], note: '' }, { step: 'service', ok: false, items: ['library.borrow'], note: '' }], cache: 'miss', decisionUs: 5, generation: 0, ...over,
});

describe('the ladder of a decided request', () => {
  it('a denial never reaches the handler and names where the chain broke', () => {
    const arrows = ladderArrows(decision({}));
    expect(arrows.map((a) => `${a.from}→${a.to}`)).toEqual(['client→interceptor', 'interceptor→decision point', 'decision point→interceptor', 'interceptor→client']);
    expect(arrows[2].label).toBe('deny at service');
    expect(arrows[3].label).toBe('403 problem+json');
  });

  it('a permit goes to the handler and back before the client gets the answer', () => {
    const arrows = ladderArrows(decision({ outcome: 'permit', status: 201, trace: [] }), 'LibraryController.borrow');
    expect(arrows.map((a) => a.to)).toEqual(['interceptor', 'decision point', 'interceptor', 'handler', 'interceptor', 'client']);
    expect([arrows[3].label, arrows[3].detail]).toEqual(['borrow()', 'LibraryController']);
  });

  it('an unknown user is answered by the interceptor alone', () => {
    const arrows = ladderArrows(decision({ outcome: 'unauthenticated', status: 401, user: null, service: null, trace: [] }));
    expect(arrows.map((a) => a.to)).toEqual(['interceptor', 'client']);
    expect(arrows[1].label).toBe('401 not authenticated');
  });
});

describe("the interceptor note's trace on one line", () => {
  it('joins the links with arrows, items kept, the prose left to the trace panel', () => {
    const explain = "None of bob's features includes library.borrow.\n✓ user: bob — Identified as bob.\n✓ blacklist: bob is not blacklisted.\n✓ groups: community university — bob is in 1 group(s).\n✗ service: library.borrow — None of bob's features includes library.borrow.";
    expect(traceLine(explain)).toBe('✓ user bob → ✓ blacklist → ✓ groups community university → ✗ service library.borrow');
  });

  it('leaves a note without a trace alone', () => {
    expect(traceLine('No credentials were sent.')).toBeNull();
  });
});
