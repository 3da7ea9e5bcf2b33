/**
 * Every lab's about, in the order the nav and home page show them: pure data the UI can import
 * (servers/index.ts, the daemon's registry, imports node code). A test keeps both lists in step.
 */
import type { LabAbout } from '../lib/labs/about.ts';
import { ftpAbout } from './ftp/about.ts';
import { gatewayAbout } from './gateway/about.ts';
import { policyAbout } from './policy/about.ts';
import { smtpAbout } from './smtp/about.ts';
import { soapAbout } from './soap/about.ts';
import { sshAbout } from './ssh/about.ts';
import { zmqAbout } from './zmq/about.ts';

export const ABOUTS = [smtpAbout, sshAbout, ftpAbout, soapAbout, zmqAbout, policyAbout, gatewayAbout] as const satisfies readonly LabAbout[];

/** A lab's id (its protocol, URL slug and config key). */
export type LabId = (typeof ABOUTS)[number]['id'];
