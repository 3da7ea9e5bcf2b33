import type { Lesson } from '../../../lib/lessons/types.ts';

/** Changes that take effect on the very next request: suspending a subscription, and the blacklist. */
export const gatewayRevoke: Lesson = {
  id: 'gateway-revoke',
  lab: 'gateway',
  title: 'Revoke live, and the blacklist',
  summary: 'Suspend a subscription and see the very next request denied, activate it again, and put a user on the blacklist that overrides everything.',
  minutes: 10,
  order: 2,
  goal:
    'See access control change in real time: every admin change invalidates the cached decisions at once, so the next request is decided on the new model (the Decisions tab shows when the next request met the change). A blacklisted user is refused whatever products their groups hold.',
  steps: [
    {
      id: 'suspend',
      title: 'Suspend bob\'s subscription',
      do:
        'In the Model tab suspend the subscription "community university → basic" with the Suspend button on its row. Then call GET /api/library/books as bob again — turn on step mode first: the lab holds the request and asks what the answer will be.\n\nThe problem details now break at "subscriptions": bob is still in his group, but its only subscription is suspended.',
      panel: 'model',
      proof: {
        all: [
          { dir: 'note', text: '^Interceptor denied: bob .*library\\.search' },
          { dir: 'server', key: 'api.http.status.403' },
          { dir: 'server', text: '"brokenAt": "subscriptions"' },
        ],
      },
      question: {
        prompt: 'bob\'s subscription is suspended and his GET /api/library/books is held. Which status will the gateway answer?',
        when: { dir: 'client', text: '^GET /api/library/books' },
        choices: ['200', '401', '403', '404'],
        answer: { from: { dir: 'server', kind: 'status-line' }, field: 'status' },
        explain:
          '403: the change applies to the very next request. The decision cache was invalidated when the subscription was suspended, so the interceptor walked the model again and found no active subscription (RFC 9110 §15.5.4).',
      },
      hints: ['The Decisions tab shows, for each admin change, the time until the first request was decided on it.'],
      ref: 'RFC 9110 §15.5.4',
    },
    {
      id: 'reactivate',
      title: 'Activate it again',
      do:
        'Set the subscription back to active and call the service as bob once more: permitted, at once. Nothing waits for a cache to expire.',
      panel: 'model',
      proof: {
        all: [
          { dir: 'note', text: '^Interceptor denied: bob .*library\\.search' },
          { dir: 'server', text: '"brokenAt": "subscriptions"' },
          { dir: 'note', text: '^Interceptor permitted: bob .*library\\.search' },
        ],
        anyConnection: true,
      },
      whatIf: {
        fault: 'gateway.revoke-at-step',
        explain:
          'The lab can revoke for you in the middle of a sequence: with the fault on, the 3rd request of your sandbox makes the lab suspend the subscription that request relies on, just before the decision. Call GET /api/library/books as bob three times: the third is already denied, because the change reaches the decision point on that very request. Activate the subscription again afterwards.',
        proof: { all: [{ dir: 'note', injectedBy: 'gateway.revoke-at-step' }, { dir: 'note', text: '^Interceptor denied: bob ' }, { dir: 'server', key: 'api.http.status.403' }] },
      },
      hints: ['Each request is its own connection here, so look for the newest one in the Connections list.'],
      ref: 'RFC 9110 §15.3.1',
    },
    {
      id: 'blacklist',
      title: 'The blacklist overrides everything',
      do:
        'mallory is on the blacklist: call anything as mallory and the chain breaks at "blacklist". Then put alice on the blacklist in the Model tab and borrow a book as her: premium does not help, the blacklist comes first. Remove her again afterwards.',
      panel: 'model',
      proof: {
        all: [
          { dir: 'note', text: '^Interceptor denied: alice ' },
          { dir: 'server', key: 'api.http.status.403' },
          { dir: 'server', text: '"brokenAt": "blacklist"' },
        ],
      },
      hints: ['The blacklist is checked right after the user is identified, before any group or product.'],
      ref: 'RFC 9110 §15.5.4',
    },
  ],
};
