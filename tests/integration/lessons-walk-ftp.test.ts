// Walks every FTP lesson against the real FTP server (and the SSH server for FTPS vs SFTP), with real clients (tests/lessons/harness.ts).
import { ftpLab } from '../../servers/ftp/lab.ts';
import { sshLab } from '../../servers/ssh/lab.ts';
import { describeLessonWalks } from '../lessons/harness.ts';
import { FTP_WALKERS } from '../lessons/ftp.walk.ts';

describeLessonWalks('ftp', FTP_WALKERS, [ftpLab, sshLab]);
