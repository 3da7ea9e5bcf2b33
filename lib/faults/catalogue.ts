/**
 * The scripted faults the lab knows, as data (issue 13). Each row says what happens, why a student
 * would want to see it, the section that says what a client must do about it, and where it acts:
 * 'tap' rules rewrite or answer framed messages on the wire (lib/faults/tap-faults.ts), 'server'
 * rules are carried out by the lab's own server (servers/<lab>/scripted-faults.ts).
 */
import type { FaultRule } from './types.ts';

export const FAULT_RULES: readonly FaultRule[] = [
  {
    id: 'smtp.rcpt-451-second',
    lab: 'smtp',
    title: 'The 2nd RCPT gets 451 4.3.0',
    explain:
      'The second RCPT of a mail transaction never reaches the server: the lab answers it "451 4.3.0" itself. A 4yz reply is a transient failure: the client keeps the recipients that were accepted, may send the mail to them, and must try the refused one again later.',
    ref: 'RFC 5321 §4.2.1, §4.5.4.1; RFC 3463 §3.4',
    at: 'tap',
  },
  {
    id: 'smtp.data-554',
    lab: 'smtp',
    title: 'DATA is refused with 554',
    explain:
      'The DATA command never reaches the server: the lab answers "554 5.3.0 Transaction failed". A 5yz reply is permanent: the client must not send the message content, and reports the failure (RSET or QUIT follow).',
    ref: 'RFC 5321 §4.1.1.4, §4.2.1, §4.2.3',
    at: 'tap',
  },
  {
    id: 'smtp.close-after-mail',
    lab: 'smtp',
    title: 'The server closes after MAIL',
    explain:
      'Right after the server’s reply to MAIL the lab closes the connection, the one way RFC 5321 lets a server do that outside QUIT and timeouts: it first says "421 4.3.2 Service shutting down" (a 421 may come at any time, the client reads it after its next command). A client that loses the connection without a 421 must treat the transaction as if it had got a 451.',
    ref: 'RFC 5321 §3.8, §4.2.3',
    at: 'tap',
  },
  {
    id: 'ftp.data-drop',
    lab: 'ftp',
    title: 'The data connection drops after N bytes',
    explain:
      'The lab cuts the data connection after N bytes of a transfer, resetting both sides as a failing network does. The server sees its data connection fail and answers the transfer 426 (connection closed; transfer aborted); only a file small enough to be handed over whole before the cut may still get 226. In stream mode the end of the file IS the close of the data connection, which is why a cut looks like a short file: the client knows it by the 426, or by counting (the SIZE or the 150 reply).',
    ref: 'RFC 959 §3.4.1, §4.2',
    at: 'tap',
    param: { name: 'bytes', default: 1000, min: 1, max: 1_000_000_000 },
  },
  {
    id: 'ftp.pasv-unreachable',
    lab: 'ftp',
    title: 'PASV answers an unreachable address',
    explain:
      'The lab rewrites the server’s 227 (and 229 for EPSV) to a port where nothing listens, as a server behind NAT does when it advertises an address the client cannot reach. The client’s data connection fails, so LIST/RETR cannot run (curl: "Failed to connect"; the server later gives up with 425). Modern clients ignore the host in 227 and reuse the control connection’s host for exactly this reason, so the lab changes the port, not just the address.',
    ref: 'RFC 959 §4.1.2, §4.2; RFC 2428 §3',
    at: 'tap',
  },
  {
    id: 'ssh.hostkey-change',
    lab: 'ssh',
    title: 'The SSH host key changes',
    explain:
      'The lab’s SSH server gets new host keys (the same action as the SSH lab’s "Rotate host key"). A client that knows the old key must refuse to go on — OpenSSH prints "REMOTE HOST IDENTIFICATION HAS CHANGED!" — because a different key is exactly what a man in the middle looks like. The server has one identity, so every sandbox sees the new key.',
    ref: 'RFC 4251 §4.1, §9.3.4',
    at: 'server',
    shared: true,
  },
  {
    id: 'soap.receiver-fault',
    lab: 'soap',
    title: 'The SOAP service answers a Receiver fault on the next call',
    explain:
      'The next call to the Calendar service is answered with a fault of class Receiver (SOAP 1.2; soap:Server in 1.1), HTTP 500: the request was fine, the service could not process it now. The client may retry the same message later — unlike a Sender (Client) fault, which says the message itself must change.',
    ref: 'SOAP 1.2 Part 1 §5.4.6',
    at: 'server',
  },
  {
    id: 'policy.drop-rm10',
    lab: 'policy',
    title: 'The provider drops RM 1.0',
    explain:
      'The Orders provider stops offering WS-ReliableMessaging 1.0 (the admin switch "RM 1.1 only"): a client that chose RM 1.0 from its cached policy gets a fault, fetches the policy again, and retries with RM 1.1 if it supports it. Disarming puts the provider’s RM offer back as it was.',
    ref: 'WS-Policy 1.5 Framework §4.5',
    at: 'server',
  },
  {
    id: 'gateway.revoke-at-step',
    lab: 'gateway',
    title: 'The subscription a request relies on is revoked at step N',
    explain:
      'When the Nth request of this sandbox reaches the access-control host, the lab suspends the subscription that request relies on, before the decision point runs: the same request is already denied (403), because every admin change invalidates the cached decisions at once.',
    at: 'server',
    param: { name: 'step', default: 3, min: 1, max: 1000 },
  },
];

/** The catalogue row of `id`, if the lab knows it. */
export function faultRule(id: string): FaultRule | undefined {
  return FAULT_RULES.find((rule) => rule.id === id);
}
