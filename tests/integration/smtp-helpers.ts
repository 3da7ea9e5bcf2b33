/** Shared by the SMTP lab's integration tests. */
import { afterAll, beforeAll } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

/**
 * A test daemon with only the SMTP lab (any free port, 1 MiB mails) for the file's tests: started before
 * them, stopped after. Read `lab` and `port` inside the tests, once it has started.
 */
export function smtpLabForFile(): { readonly lab: TestLab; readonly port: number } {
  let lab: TestLab | undefined;
  beforeAll(async () => {
    lab = await startTestLab({ labs: [smtpLab], config: { smtp: { port: 0, maxSize: 1024 * 1024 } } });
  });
  afterAll(async () => {
    await lab?.stop();
  });
  const started = (): TestLab => {
    if (!lab) throw new Error('the SMTP test lab has not started');
    return lab;
  };
  return {
    get lab() {
      return started();
    },
    get port() {
      return started().port('smtp');
    },
  };
}
