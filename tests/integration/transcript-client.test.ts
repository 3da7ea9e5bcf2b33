import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabFeed } from '../../components/lab/lab-feed.ts';
import { loadTranscript } from '../../components/lab/use-lab-feed.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ConnectionInfo } from '../../lib/wire/event.ts';
import { startTestLab } from '../helpers/daemon.ts';
import { noopFlood } from './transcript-flood.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('browser transcript loading', () => {
  it('pages through a long stored transcript until the API says there is no more', async () => {
    const cap = 1200;
    const lab = await startTestLab({ labs: [smtpLab], config: { transcripts: { maxMessages: cap } } });
    try {
      const { localPort } = await noopFlood(lab.port('smtp'), 1000);
      const { connections } = await lab.api<{ connections: ConnectionInfo[] }>('/api/connections?protocol=smtp');
      const conn = connections.find((c) => c.client === `127.0.0.1:${localPort}`);
      if (!conn) throw new Error('flood connection not listed');

      // The page's relative fetches go to the test daemon.
      const requested: string[] = [];
      const realFetch = globalThis.fetch;
      vi.stubGlobal('fetch', (input: string, init?: RequestInit) => {
        requested.push(input);
        return realFetch(lab.baseUrl + input, init);
      });
      const feed = new LabFeed('smtp');
      await loadTranscript(feed, conn.id);

      const seqs = feed.messagesOf(conn.id).map((m) => m.seq);
      expect(seqs).toEqual([...Array.from({ length: cap }, (_, i) => i + 1), cap + 0.5]);
      expect(feed.messagesOf(conn.id).at(-1)?.annotation?.title).toBe(`Transcript capped at ${cap.toLocaleString('en-US')} messages`);
      expect(requested).toEqual([0, 501, 1001].map((from) => `/api/connections/${conn.id}?from=${from}&limit=500`));
    } finally {
      await lab.stop();
    }
  });
});
