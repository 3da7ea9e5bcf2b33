/**
 * Every lesson (issue 13), one line each: lessons are data files next to their lab
 * (servers/<lab>/lessons/<lesson-id>.ts, each exporting one Lesson). The daemon serves this list
 * (servers/daemon/lesson-routes.ts); tests/integration/lessons-registry.test.ts checks every entry
 * (unique ids, annotation keys the dissectors produce, fault ids in the catalogue, cited sections
 * present in docs/reference) and tests/integration/lessons-walk-<lab>.test.ts walks each against the real servers.
 */
import type { Lesson } from '../lib/lessons/types.ts';
import { smtpFirstMail } from './smtp/lessons/smtp-first-mail.ts';
import { smtpReadingReplies } from './smtp/lessons/smtp-reading-replies.ts';
import { smtpRelays } from './smtp/lessons/smtp-relays.ts';
import { smtpStarttlsAuth } from './smtp/lessons/smtp-starttls-auth.ts';
import { sshHandshake } from './ssh/lessons/ssh-handshake.ts';
import { sshHostKeys } from './ssh/lessons/ssh-host-keys.ts';
import { sshPasswordsKeys } from './ssh/lessons/ssh-passwords-keys.ts';
import { sshTunnel } from './ssh/lessons/ssh-tunnel.ts';

import { ftpTwoChannels } from './ftp/lessons/ftp-two-channels.ts';
import { ftpActivePassive } from './ftp/lessons/ftp-active-passive.ts';
import { ftps } from './ftp/lessons/ftps.ts';
import { ftpsVsSftp } from './ftp/lessons/ftps-vs-sftp.ts';
import { soapEnvelopes } from './soap/lessons/soap-envelopes.ts';
import { soapFaults } from './soap/lessons/soap-faults.ts';
import { soapWsdl } from './soap/lessons/soap-wsdl.ts';
import { soapOverSmtp } from './soap/lessons/soap-over-smtp.ts';
import { zmqPatterns } from './zmq/lessons/zmq-patterns.ts';
import { zmqSlowJoiner } from './zmq/lessons/zmq-slow-joiner.ts';
import { zmqSecurity } from './zmq/lessons/zmq-security.ts';
import { policyAttachment } from './policy/lessons/policy-attachment.ts';
import { policyIntersection } from './policy/lessons/policy-intersection.ts';
import { gatewayCatalogue } from './gateway/lessons/gateway-catalogue.ts';
import { gatewayRevoke } from './gateway/lessons/gateway-revoke.ts';

export const LESSONS: readonly Lesson[] = [
  smtpFirstMail,
  smtpReadingReplies,
  smtpStarttlsAuth,
  smtpRelays,
  sshHandshake,
  sshHostKeys,
  sshPasswordsKeys,
  sshTunnel,
  ftpTwoChannels,
  ftpActivePassive,
  ftps,
  ftpsVsSftp,
  soapEnvelopes,
  soapFaults,
  soapWsdl,
  soapOverSmtp,
  zmqPatterns,
  zmqSlowJoiner,
  zmqSecurity,
  policyAttachment,
  policyIntersection,
  gatewayCatalogue,
  gatewayRevoke,
];
