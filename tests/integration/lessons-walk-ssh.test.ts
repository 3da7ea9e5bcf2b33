// Walks every SSH lesson against the real SSH server (and the SMTP lab its tunnel reaches), with the
// lab's SSH terminal, OpenSSH and ssh2 (tests/lessons/harness.ts).
import { smtpLab } from '../../servers/smtp/lab.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { describeLessonWalks } from '../lessons/harness.ts';
import { SSH_WALKERS } from '../lessons/ssh.walk.ts';

describeLessonWalks('ssh', SSH_WALKERS, [smtpLab, sshLab]);
