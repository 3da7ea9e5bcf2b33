import type { ClientRecipe } from '@/components/lab/own-client';

/** Where the recipes point: the lab's service host, the lab password and each demo user's API key. */
export interface GatewayRecipeTargets {
  /** http://127.0.0.1:8090 */
  baseUrl: string;
  password: string;
  /** User name → X-Api-Key (from GET /api/access/model). */
  keys: Record<string, string>;
}

/** The SOAP calendar's target namespace (servers/soap/wsdl.ts CALENDAR_NS), also the SOAPAction prefix. */
export const CALENDAR_NS = 'http://lab.test/soap/calendar';

const envelope = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cal="${CALENDAR_NS}">
  <soap:Body>
    <cal:getMonth><cal:year>2025</cal:year><cal:month>3</cal:month></cal:getMonth>
  </soap:Body>
</soap:Envelope>`;

/**
 * Copy-paste curl commands for the access-control lab: the same services as users of different
 * groups, by HTTP Basic (`-u`) or by API key (`-H X-Api-Key`). Pure data:
 * tests/integration/own-client-recipes-gateway.test.ts runs each one as printed.
 */
export function gatewayRecipes(t: GatewayRecipeTargets): ClientRecipe[] {
  const key = (user: string) => t.keys[user] ?? `<${user}'s key from the Users editor>`;
  const u = (user: string) => `-u ${user}:${t.password}`;
  return [
    {
      name: 'bob reads (Basic)',
      code: `# bob is in community university, which subscribes to basic: reading is allowed\ncurl -sS -i ${u('bob')} '${t.baseUrl}/api/library/books?q=tcp'`,
      note: 'HTTP Basic (RFC 7617): curl sends Authorization: Basic base64(bob:password). 200 with the books as JSON.',
    },
    {
      name: 'bob borrows: 403',
      code: `# Borrowing is in feature library-write, only in product premium: denied\ncurl -sS -i ${u('bob')} -H 'Content-Type: application/json' \\\n  --data '{"isbn":"9780132126953"}' ${t.baseUrl}/api/library/loans`,
      note: '403 application/problem+json (RFC 9457): "brokenAt" names where the chain broke and "trace" walks user → groups → subscriptions → products → features → service.',
    },
    {
      name: 'alice by API key',
      code: `# alice is in club netclub (premium) and through it in university (basic)\ncurl -sS -i -H 'X-Api-Key: ${key('alice')}' ${t.baseUrl}/api/accounts/me`,
      note: 'The same interceptor identifies a user by the X-Api-Key header instead of a password. A wrong key gets 401.',
    },
    {
      name: 'SOAP calendar as alice',
      code: `cat > getMonth.xml <<'EOF'\n${envelope}\nEOF\n\n# The calendar is premium only: alice gets the month, bob a SOAP Client fault\ncurl -sS -i -H 'X-Api-Key: ${key('alice')}' ${t.baseUrl}/soap/calendar \\\n  -H 'Content-Type: text/xml; charset=utf-8' \\\n  -H 'SOAPAction: "${CALENDAR_NS}/getMonth"' \\\n  --data-binary @getMonth.xml`,
      note: 'A permitted envelope is passed on to the SOAP lab’s host. Denied, the answer is a SOAP 1.1 Client fault with HTTP 500, not a problem document (SOAP 1.1 §4.4).',
    },
    {
      name: 'mallory: blacklisted',
      code: `# mallory is in netclub, but blacklisted: the blacklist beats every subscription\ncurl -sS -i ${u('mallory')} '${t.baseUrl}/api/library/books?q=tcp'`,
      note: 'Lift the blacklist on the Model tab (or in the console’s switches) and the very next request is permitted.',
    },
    {
      name: 'no credentials: 401',
      code: `curl -sS -i ${t.baseUrl}/api/courses`,
      note: '401 with WWW-Authenticate: Basic realm="access-lab" (RFC 9110 §11.6.1): the interceptor does not know who asks, so it asks no decision.',
    },
  ];
}
