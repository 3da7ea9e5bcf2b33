// Walks every SOAP lesson against the real SOAP service host (and the SMTP lab for the mail binding), with real clients (tests/lessons/harness.ts).
import { smtpLab } from '../../servers/smtp/lab.ts';
import { soapLab } from '../../servers/soap/lab.ts';
import { describeLessonWalks } from '../lessons/harness.ts';
import { SOAP_WALKERS } from '../lessons/soap.walk.ts';

describeLessonWalks('soap', SOAP_WALKERS, [smtpLab, soapLab]);
