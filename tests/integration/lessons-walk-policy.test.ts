// Walks every WS-Policy lesson against the real Orders provider on the SOAP host, with curl and the lab's policy client (tests/lessons/harness.ts).
import { policyLab } from '../../servers/policy/lab.ts';
import { soapLab } from '../../servers/soap/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { describeLessonWalks } from '../lessons/harness.ts';
import { POLICY_WALKERS } from '../lessons/policy.walk.ts';

describeLessonWalks('policy', POLICY_WALKERS, [smtpLab, soapLab, policyLab]);
