/**
 * THE registry: every lab the daemon runs, one line each. The daemon orders starts by each lab's
 * `requires`, and config parsing, /api/health, /api/lab, the test config, README's port table
 * check and SSH's forwarding allow-list all derive from this list. A new lab is a folder
 * (servers/<id>/about.ts + lab.ts) and a line here (its about also goes in servers/abouts.ts, which
 * the UI reads; tests/integration/lab-registry.test.ts keeps the two lists and PROTOCOLS in step).
 */
import type { LabModule } from './daemon/lab.ts';
import { ftpLab } from './ftp/lab.ts';
import { policyLab } from './policy/lab.ts';
import { gatewayLab } from './gateway/lab.ts';
import { smtpLab } from './smtp/lab.ts';
import { soapLab } from './soap/lab.ts';
import { sshLab } from './ssh/lab.ts';
import { zmqLab } from './zmq/lab.ts';

export const LABS = [smtpLab, sshLab, ftpLab, soapLab, zmqLab, policyLab, gatewayLab] as const;

type RegisteredLab = (typeof LABS)[number];
type SettingsOf<M> = M extends LabModule<infer _Id, infer S, unknown> ? S : never;
type InfoOf<M> = M extends LabModule<infer _Id, unknown, infer I> ? I : never;

/** Each registered lab's settings under its id (config.smtp, config.ftp…): the labs' part of LabConfig. */
export type LabSettingsMap = { [M in RegisteredLab as M['about']['id']]: SettingsOf<M> };

/** What each registered lab adds to GET /api/lab under its id. */
export type LabInfoMap = { [M in RegisteredLab as M['about']['id']]: InfoOf<M> };
