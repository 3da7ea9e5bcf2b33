// Walks every SMTP lesson against the real SMTP server, with real clients (tests/lessons/harness.ts).
import { smtpLab } from '../../servers/smtp/lab.ts';
import { describeLessonWalks } from '../lessons/harness.ts';
import { SMTP_WALKERS } from '../lessons/smtp.walk.ts';

describeLessonWalks('smtp', SMTP_WALKERS, [smtpLab]);
