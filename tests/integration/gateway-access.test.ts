/**
 * The access-control lab with curl as the client: who may call what (the demo model's matrix),
 * changes that apply to the very next request, the blacklist over every subscription, club and
 * community membership, the SOAP calendar's denial as a Fault, bad credentials, and the decision's
 * trace on the connection's transcript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestEnvelope } from '../../servers/soap/lab/envelopes.ts';
import { accessContracts as c } from '../../servers/gateway/lab/contracts.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { curl, demoModel, type As } from './gateway-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

const soapBody = (version: '1.1' | '1.2' = '1.1') => {
  const generated = requestEnvelope('getMonth', version, { year: 2025, month: 3 });
  return { type: generated.headers['Content-Type'], text: generated.envelope, soapAction: generated.headers.SOAPAction?.replace(/"/g, '') };
};

/** Each service the matrix calls: a read (basic), a write (premium only), the SOAP calendar (premium only). */
const CALLS = {
  'library.search': (as: As) => curl(lab, 'GET', '/api/library/books?q=tcp', as),
  'library.borrow': (as: As) => curl(lab, 'POST', '/api/library/loans', as, { type: 'application/json', text: '{"isbn":"9780132126953"}' }),
  'soap.calendar': (as: As) => curl(lab, 'POST', '/soap/calendar', as, soapBody()),
} as const;

/** What the interceptor decided, as the client sees it: a 403 or an access-denied Fault, else the handler answered (even with its own error, e.g. 409 no copy left). */
const verdict = (reply: { status: number; body: string }) => (reply.status === 403 || /Access denied/.test(reply.body) ? 'deny' : reply.status === 401 ? 'unauthenticated' : 'permit');
const verdictOf = async (name: keyof typeof CALLS, as: As) => verdict(await CALLS[name](as));

describe('the demo model: alice (netclub ⊂ university), bob (university), mallory (blacklisted)', () => {
  it('permits and denies as the subscriptions say', async () => {
    const expected: Record<string, Record<keyof typeof CALLS, 'permit' | 'deny'>> = {
      alice: { 'library.search': 'permit', 'library.borrow': 'permit', 'soap.calendar': 'permit' },
      bob: { 'library.search': 'permit', 'library.borrow': 'deny', 'soap.calendar': 'deny' },
      mallory: { 'library.search': 'deny', 'library.borrow': 'deny', 'soap.calendar': 'deny' },
    };
    const seen: Record<string, Record<string, string>> = {};
    for (const user of Object.keys(expected)) {
      seen[user] = {};
      for (const [name, call] of Object.entries(CALLS)) {
        const reply = await call({ user });
        seen[user][name] = verdict(reply);
        if (name !== 'soap.calendar' && reply.status === 403) expect(reply.headers['content-type']).toBe('application/problem+json');
      }
    }
    expect(seen).toEqual(expected);
  });

  it('names the reason in an RFC 9457 problem: bob lacks premium, mallory is blacklisted', async () => {
    const bob = JSON.parse((await CALLS['library.borrow']({ user: 'bob' })).body);
    expect(bob).toMatchObject({ status: 403, title: 'Access denied', service: 'library.borrow', brokenAt: 'service' });
    expect(bob.detail).toMatch(/premium/);
    expect(bob.type).toMatch(/^tag:/);
    const mallory = JSON.parse((await CALLS['library.search']({ user: 'mallory' })).body);
    expect(mallory).toMatchObject({ status: 403, brokenAt: 'blacklist' });
  });

  it('takes the API key as well as Basic', async () => {
    const model = await demoModel(lab);
    const alice = model.users.find((u) => u.name === 'alice')!;
    expect(await verdictOf('library.borrow', { apiKey: alice.apiKey })).toBe('permit');
  });
});

describe('credentials and routes', () => {
  it('answers 401 with WWW-Authenticate to no, wrong or unknown credentials', async () => {
    for (const as of [null, { user: 'alice', password: 'wrong' }, { user: 'eve' }, { apiKey: 'key-not-a-key' }] as As[]) {
      const reply = await CALLS['library.search'](as);
      expect(reply.status, JSON.stringify(as)).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Basic realm="access-lab"/);
      expect(reply.headers['content-type']).toBe('application/problem+json');
    }
  });

  it('answers 404 to a path no service has, 405 with Allow to a wrong method', async () => {
    const missing = await curl(lab, 'GET', '/api/nothing-here', { user: 'alice' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ status: 404, title: 'No such service' });
    const wrong = await curl(lab, 'DELETE', '/api/library/books', { user: 'alice' });
    expect(wrong.status).toBe(405);
    // HEAD is served wherever GET is (RFC 9110 §9.3.2), so Allow lists it too (§15.5.6: every method the resource supports).
    expect(wrong.headers.allow).toBe('GET, HEAD');
  });

  it('refuses a body that is not JSON for what it is (415, 400 naming where it broke), and a service error reads like the gateway\'s', async () => {
    const borrow = (type: string, text: string) => curl(lab, 'POST', '/api/library/loans', { user: 'alice' }, { type, text });
    const plain = await borrow('text/plain', 'hello');
    expect(plain.status).toBe(415);
    expect(plain.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(plain.body)).toMatchObject({ type: 'tag:protocol-lab.local,2025:access/unsupported-media-type', title: 'Unsupported media type', service: 'library.borrow' });
    expect(JSON.parse(plain.body).detail).toContain('came as text/plain');
    const broken = await borrow('application/json', '{bad');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ type: 'tag:protocol-lab.local,2025:access/malformed-json', title: 'Malformed JSON' });
    expect(JSON.parse(broken.body).detail).toMatch(/^The body is not JSON \(RFC 8259\): .*position 1/);
    // A file saved "UTF-8 with BOM" (Windows editors, PowerShell): the detail names the invisible mark, not "Unexpected token ''".
    const bom = await borrow('application/json', '\ufeff{"isbn":"9780132126953"}');
    expect(bom.status).toBe(400);
    expect(JSON.parse(bom.body).detail).toMatch(/^The body starts with a byte order mark \(U\+FEFF, bytes EF BB BF\).*\(RFC 8259\)/);
    expect(JSON.parse(bom.body).detail).not.toContain('\ufeff');
    // Valid JSON of the wrong shape is the service's to refuse, with its declared error, in the same layout.
    const shape = await borrow('application/json; charset=utf-8', '["9780132126953"]');
    expect(shape.status).toBe(400);
    expect(shape.body).toBe(`${JSON.stringify({ type: 'tag:protocol-lab.local,2025:services/bad-request', title: 'Bad request', status: 400, detail: 'The body must be a JSON object.', service: 'library.borrow' }, null, 2)}\n`);
    // Denied before the body is looked at: bob learns he may not borrow, not that his JSON is broken.
    expect((await curl(lab, 'POST', '/api/library/loans', { user: 'bob' }, { type: 'text/plain', text: 'hello' })).status).toBe(403);
    // And a well-formed request still borrows (what the checks must let through).
    expect((await borrow('application/json', '{"isbn":"9780201633467"}')).status).toBe(201);
  });
});

describe('the SOAP calendar through the interceptor', () => {
  it('passes a permitted envelope on to the SOAP host and brings back its answer', async () => {
    const reply = await CALLS['soap.calendar']({ user: 'alice' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/getMonthResponse/);
  });

  it('denies with a Client fault in SOAP 1.1 and a Sender fault in SOAP 1.2, not a problem document', async () => {
    const v11 = await curl(lab, 'POST', '/soap/calendar', { user: 'bob' }, soapBody('1.1'));
    expect(v11.status).toBe(500);
    expect(v11.headers['content-type']).toMatch(/^text\/xml/);
    expect(v11.body).toMatch(/<faultcode>soap:Client<\/faultcode>/);
    const v12 = await curl(lab, 'POST', '/soap/calendar', { user: 'bob' }, soapBody('1.2'));
    expect(v12.status).toBe(400);
    expect(v12.headers['content-type']).toMatch(/^application\/soap\+xml/);
    expect(v12.body).toMatch(/<soap:Value>soap:Sender<\/soap:Value>/);
    expect(v12.body).toMatch(/AccessDenied/);
  });

  it('an envelope that names no operation, or one the catalogue lacks, gets a SOAP fault saying so, not a decision on another operation', async () => {
    const { type, soapAction } = soapBody('1.1');
    const empty = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body></soap:Body></soap:Envelope>';
    const unknown = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><cal:getCentury xmlns:cal="http://lab.test/soap/calendar"/></soap:Body></soap:Envelope>';
    for (const [text, names] of [[empty, /names no operation/], [unknown, /getCentury/]] as const) {
      const reply = await curl(lab, 'POST', '/soap/calendar', { user: 'bob' }, { type, text, soapAction });
      expect(reply.status).toBe(500);
      expect(reply.headers['content-type']).toMatch(/^text\/xml/);
      expect(reply.body).toMatch(/<faultcode>soap:Client<\/faultcode>/);
      expect(reply.body).toMatch(names);
      expect(reply.body, reply.body).not.toMatch(/getMonth|Access denied/);
    }
    const v12 = await curl(lab, 'POST', '/soap/calendar', { user: 'bob' }, { type: 'application/soap+xml; charset=utf-8', text: '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>' });
    expect(v12.status).toBe(400);
    expect(v12.body).toMatch(/<soap:Value>soap:Sender<\/soap:Value>/);
  });
});

describe('changes apply to the very next request', () => {
  it('revoking a subscription makes the next request 403, granting it back makes the next 200', async () => {
    const model = await demoModel(lab);
    const premium = model.subscriptions.find((s) => s.product === model.id('products', 'premium'))!;
    expect(await verdictOf('library.borrow', { user: 'alice' })).toBe('permit');
    await lab.api(c.subscriptions.update, { params: { id: premium.id }, body: { group: premium.group, product: premium.product, state: 'suspended' } });
    expect((await CALLS['library.borrow']({ user: 'alice' })).status).toBe(403);
    await lab.api(c.subscriptions.update, { params: { id: premium.id }, body: { group: premium.group, product: premium.product, state: 'active' } });
    expect(await verdictOf('library.borrow', { user: 'alice' })).toBe('permit');
    const { changes } = await lab.api(c.decisions, { query: { limit: 10 } });
    // Both changes were timed from their commit to the first request decided on them.
    expect(changes.slice(0, 2).map((ch) => ch.effectMs !== null && ch.decision !== null)).toEqual([true, true]);
  });

  it('the blacklist beats every subscription, and lifting it restores them', async () => {
    const model = await demoModel(lab);
    const aliceId = model.id('users', 'alice');
    const entry = await lab.api(c.blacklist.create, { body: { user: aliceId, reason: 'test' } });
    for (const name of Object.keys(CALLS) as (keyof typeof CALLS)[]) expect(await verdictOf(name, { user: 'alice' }), name).toBe('deny');
    await lab.api(c.blacklist.remove, { params: { id: entry.id } });
    expect((await CALLS['library.search']({ user: 'alice' })).status).toBe(200);
  });

  it('deleting a community takes its clubs, their memberships and subscriptions with it (no 500)', async () => {
    const village = await lab.api(c.communities.create, { body: { name: 'village', description: 'a community to delete' } });
    const chess = await lab.api(c.clubs.create, { body: { name: 'chess', description: 'its club', community: village.id } });
    const dora = await lab.api(c.users.create, { body: { name: 'dora', communities: [village.id], clubs: [chess.id] } });
    await lab.api(c.communities.remove, { params: { id: village.id } });
    const model = await lab.api(c.model);
    expect(model.communities.map((x) => x.name)).not.toContain('village');
    expect(model.clubs.map((x) => x.name)).not.toContain('chess');
    const user = model.users.find((u) => u.id === dora.id);
    expect([user?.communities, user?.clubs]).toEqual([[], []]);
  });

  it('a club member reaches the club and the community products; a community member only the community', async () => {
    const model = await demoModel(lab);
    const netclub = model.id('clubs', 'netclub');
    const university = model.id('communities', 'university');
    const carl = await lab.api(c.users.create, { body: { name: 'carl', communities: [], clubs: [] } });
    // In no group: nothing.
    expect(await verdictOf('library.search', { user: 'carl' })).toBe('deny');
    // Community only: basic.
    await lab.api(c.users.update, { params: { id: carl.id }, body: { name: 'carl', communities: [university], clubs: [] } });
    expect([await verdictOf('library.search', { user: 'carl' }), await verdictOf('library.borrow', { user: 'carl' })]).toEqual(['permit', 'deny']);
    // Club only: the club's premium and, through the club, the community's basic.
    await lab.api(c.users.update, { params: { id: carl.id }, body: { name: 'carl', communities: [], clubs: [netclub] } });
    expect([await verdictOf('library.search', { user: 'carl' }), await verdictOf('library.borrow', { user: 'carl' })]).toEqual(['permit', 'permit']);
  });
});

describe('the decision on the transcript', () => {
  it('records the interceptor decision and its trace as a note on the HTTP connection, before the answer', async () => {
    const exchange = await lab.api(c.request, { body: { method: 'POST', path: '/api/library/loans', user: 'bob', auth: 'basic', body: '{"isbn":"9780132126953"}' } });
    expect(exchange.status).toBe(403);
    expect(exchange.decision).toMatchObject({ outcome: 'deny', user: 'bob', service: 'library.borrow' });
    const { messages } = await lab.api<{ messages: { dir: string; view: string; text: string; annotation?: { explain: string } }[] }>(`/api/connections/${exchange.conn}?limit=500`);
    const note = messages.findIndex((m) => m.dir === 'note' && /^Interceptor denied: bob/.test(m.text));
    expect(note).toBeGreaterThanOrEqual(0);
    expect(messages[note].annotation?.explain).toMatch(/✓ groups: community university/);
    expect(messages[note].annotation?.explain).toMatch(/✗ service: library\.borrow/);
    const answer = messages.findIndex((m) => m.dir === 'server' && /^HTTP\/1\.1 403/.test(m.text));
    expect(answer).toBeGreaterThan(note);
  });
});
