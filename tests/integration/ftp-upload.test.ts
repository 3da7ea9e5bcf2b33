import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferState, UploadResult } from '../../components/ftp/api.ts';
import type { TestLab } from '../helpers/daemon.ts';
import { startFtpTestLab } from './ftp-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startFtpTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

/** POSTs raw bytes to /api/ftp/upload (lab.api only sends JSON). */
async function upload(query: Record<string, string>, body: Buffer): Promise<{ status: number; json: UploadResult & { error?: string } }> {
  const res = await fetch(`${lab.baseUrl}/api/ftp/upload?${new URLSearchParams(query)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(body) });
  return { status: res.status, json: (await res.json()) as UploadResult & { error?: string } };
}

describe('POST /api/ftp/upload with a client-chosen transfer id', () => {
  it('records the upload under the chosen id, complete, and refuses the same id again', async () => {
    const data = Buffer.alloc(200_000, 5);
    const id = 'itest-upload-1';
    const first = await upload({ name: 'chosen-id.bin', transfer: id }, data);
    expect(first.status).toBe(200);
    expect(first.json.transfer).toBe(id);
    expect(first.json.bytes).toBe(data.length);
    expect(first.json.conn).toEqual(expect.any(String));

    const t = await lab.api<TransferState>(`/api/ftp/transfers/${id}`);
    expect(t).toMatchObject({ id, direction: 'upload', name: 'chosen-id.bin', bytes: data.length, total: data.length, done: true, error: null, conn: first.json.conn });

    const again = await upload({ name: 'other.bin', transfer: id }, Buffer.from('x'));
    expect(again.status).toBe(409);
    expect(again.json.error).toContain(id);
    // The first record is left as it was.
    expect(await lab.api<TransferState>(`/api/ftp/transfers/${id}`)).toMatchObject({ name: 'chosen-id.bin', bytes: data.length });

    const back = await fetch(`${lab.baseUrl}/api/ftp/download?name=chosen-id.bin`);
    expect(Buffer.from(await back.arrayBuffer()).equals(data)).toBe(true);

    // The connection list names the panel's sessions, not their ephemeral addresses.
    const { connections } = await lab.api<{ connections: { id: string; label?: string }[] }>('/api/connections?protocol=ftp&limit=50');
    expect(connections.find((c) => c.id === first.json.conn)?.label).toBe('ftp file panel (upload)');
    expect(connections.some((c) => c.label === 'ftp file panel (download)')).toBe(true);
  });

  it('counts file bytes (not TLS framing) over FTPS and in active mode', async () => {
    const data = Buffer.alloc(150_000, 9);
    for (const [id, options] of [
      ['itest-upload-tls', { secure: '1' }],
      ['itest-upload-active', { passive: '0' }],
    ] as const) {
      const res = await upload({ name: `${id}.bin`, transfer: id, ...options }, data);
      expect(res.status, id).toBe(200);
      expect(await lab.api<TransferState>(`/api/ftp/transfers/${id}`)).toMatchObject({ bytes: data.length, total: data.length, done: true, error: null });
    }
  });

  it('rejects a malformed id with 400 and still generates one when none is given', async () => {
    for (const bad of ['short', 'has space here', 'x'.repeat(33), 'bad/slash1']) {
      const res = await upload({ name: 'bad-id.bin', transfer: bad }, Buffer.from('x'));
      expect(res.status, bad).toBe(400);
    }
    const res = await upload({ name: 'no-id.bin' }, Buffer.from('hello'));
    expect(res.status).toBe(200);
    expect(res.json.transfer).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await lab.api<TransferState>(`/api/ftp/transfers/${res.json.transfer}`)).toMatchObject({ name: 'no-id.bin', bytes: 5, total: 5, done: true });
  });
});
