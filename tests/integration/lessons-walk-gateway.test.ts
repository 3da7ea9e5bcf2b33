// Walks every access-control lesson against the real gateway and its services, with curl and the lab's admin routes (tests/lessons/harness.ts).
import { gatewayLab } from '../../servers/gateway/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { soapLab } from '../../servers/soap/lab.ts';
import { describeLessonWalks } from '../lessons/harness.ts';
import { GATEWAY_WALKERS } from '../lessons/gateway.walk.ts';

describeLessonWalks('gateway', GATEWAY_WALKERS, [smtpLab, soapLab, gatewayLab]);
