import type { Lesson } from '../../../lib/lessons/types.ts';

/** Who may call what: the interceptor's chain user → groups → subscriptions → products → features → service. */
export const gatewayCatalogue: Lesson = {
  id: 'gateway-catalogue',
  lab: 'gateway',
  title: 'The catalogue and the products',
  summary: 'Call the services as different users and read the interceptor\'s decision: who you are, which products your groups subscribe to, and whether one of their features holds the service.',
  minutes: 15,
  order: 1,
  goal:
    'Follow one access decision: the interceptor finds the service (method + URI template in the catalogue) and the user (HTTP Basic or X-Api-Key), then walks user → groups → subscriptions → products → features → service. A missing user is 401 with a challenge; a user whose products do not reach the service is 403; a route that is not in the catalogue is 404.',
  steps: [
    {
      id: 'permit',
      title: 'Allowed: bob reads the library',
      do:
        'In the Request console call GET /api/library/books as bob, or `curl -i -u bob:{{password}} http://{{host}}:{{port gateway}}/api/library/books`. bob is in the community "university", which subscribes to the product basic; basic includes the feature library-read, which holds library.search. The interceptor\'s note, before the status line, shows that chain.',
      panel: 'console',
      shell: ['curl -i -u bob:{{password}} http://{{host}}:{{port gateway}}/api/library/books'],
      proof: {
        all: [
          { dir: 'client', key: 'api.http.header.Authorization' },
          { dir: 'note', text: '^Interceptor permitted: bob .*library\\.search' },
          { dir: 'server', key: 'api.http.status.200' },
        ],
      },
      hints: ['The Authorization header is only base64 of "bob:password": anyone on the path can decode it. Over a real network, use HTTPS.'],
      ref: 'RFC 9110 §11.6.2, §15.3.1',
    },
    {
      id: 'who-are-you',
      title: 'No credentials: 401 and a challenge',
      do:
        'Call the same service with no user (choose "none" in the console, or curl without -u). The interceptor cannot walk a chain without a user: it answers 401 Unauthorized with a WWW-Authenticate header saying how to authenticate (Basic, realm "access-lab").',
      panel: 'console',
      proof: { all: [{ dir: 'note', text: '^Interceptor not authenticated' }, { dir: 'server', key: 'api.http.status.401' }, { dir: 'server', key: 'api.http.header.WWW-Authenticate' }] },
      hints: ['401 means "I do not know who you are"; 403 means "I know, and the answer is no".'],
      ref: 'RFC 9110 §11.6.1, §15.5.2',
    },
    {
      id: 'deny',
      title: 'Denied: bob\'s products do not reach the service',
      do:
        'Now as bob POST /api/library/loans with {"isbn":"9780132126953"} (borrow a book). Turn on step mode first: the lab holds the request and asks what the gateway will answer.\n\nlibrary.borrow is in the feature library-write, which only the product premium includes. The problem details in the body say where the chain broke ("brokenAt": "service").',
      panel: 'console',
      shell: ['curl -i -u bob:{{password}} -H \'Content-Type: application/json\' --data \'{"isbn":"9780132126953"}\' http://{{host}}:{{port gateway}}/api/library/loans'],
      proof: {
        all: [
          { dir: 'note', text: '^Interceptor denied: bob .*library\\.borrow' },
          { dir: 'server', key: 'api.http.status.403' },
          { dir: 'server', key: 'api.http.header.Content-Type', text: 'application/problem\\+json' },
          { dir: 'server', text: '"brokenAt": "service"' },
        ],
      },
      question: {
        prompt: 'bob\'s POST /api/library/loans is held. Which status will the gateway answer?',
        when: { dir: 'client', text: '^POST /api/library/loans' },
        choices: ['200', '201', '401', '403'],
        answer: { from: { dir: 'server', kind: 'status-line' }, field: 'status' },
        explain:
          '403 Forbidden: the gateway knows who bob is (so not 401) and refuses the service to him; repeating the request with the same credentials will not help (RFC 9110 §15.5.4). The body is problem details (application/problem+json, RFC 9457) with the broken link of the chain.',
      },
      hints: ['Step mode is the Step switch above the Request console.'],
      ref: 'RFC 9110 §15.5.4',
    },
    {
      id: 'products',
      title: 'Products add up: alice borrows',
      do:
        'alice is in the club netclub, which subscribes to premium; a club member is a member of its community too, so she also has basic. Borrow the same book as alice: premium includes library-write, the gateway permits it and the library answers 201 Created.\n\nOpen the Catalogue tab: each service lists the features and products that include it.',
      panel: 'catalogue',
      proof: { all: [{ dir: 'note', text: '^Interceptor permitted: alice .*library\\.borrow' }, { dir: 'server', key: 'api.http.status.201' }] },
      hints: ['The Model tab draws users, groups, subscriptions, products and features.'],
      ref: 'RFC 9110 §15.3.2',
    },
    {
      id: 'sync',
      title: 'The catalogue changes: Sync',
      do:
        'The catalogue is read from the services\' source code, never by running it. In the Catalogue tab press Sync v2: version 2 adds library.renew, removes accounts.update and moves grades.record. Then call the new POST /api/library/loans/1/renewal as alice: it is in no feature yet, so even premium does not reach it (403). And PUT /api/grades/bob/net101, the old URI of grades.record, is no longer a service at all (404; v2 serves it at /api/students/{student}/grades/{courseId}). Sync back to v1 when you are done.',
      panel: 'catalogue',
      proof: {
        all: [
          { dir: 'note', text: '^Interceptor denied: .*library\\.renew' },
          { dir: 'note', text: '^Interceptor no such service: .*PUT /api/grades/' },
          { dir: 'server', key: 'api.http.status.404' },
        ],
        anyConnection: true,
      },
      hints: ['A new service needs an admin to put it in a feature before anyone may call it: deny by default.'],
      ref: 'RFC 9110 §15.5.4, §15.5.5',
    },
  ],
};
