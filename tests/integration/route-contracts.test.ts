import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreContracts } from '../../lib/http/core-contracts.ts';
import { ftpContracts } from '../../servers/ftp/lab/contracts.ts';
import { soapContracts } from '../../servers/soap/lab/contracts.ts';
import { sshContracts } from '../../servers/ssh/lab/contracts.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

const LAB_CONTRACTS = { ssh: sshContracts, ftp: ftpContracts, soap: soapContracts };

describe('typed route contracts', () => {
  it('every lab route is served from a contract, and every contract of a lab is served', () => {
    for (const [protocol, contracts] of Object.entries(LAB_CONTRACTS)) {
      const routes = lab.daemon.labs.find((l) => l.protocol === protocol)?.routes ?? [];
      expect(routes.length, protocol).toBeGreaterThan(0);
      expect(routes.filter((r) => !r.contract).map((r) => `${r.method} ${r.pattern}`), protocol).toEqual([]);
      expect(new Set(routes.map((r) => r.contract)), protocol).toEqual(new Set(Object.values(contracts)));
    }
  });

  it('SSH: key pair, private key download, SFTP panel upload/download/rename/delete, all typed', async () => {
    const key = await lab.api(sshContracts.generateKey, { body: { name: 'id_contract' } });
    expect(key.publicKey).toMatch(/^ssh-ed25519 /);
    const pem = await lab.api(sshContracts.privateKey, { params: { id: key.id } });
    expect(pem.headers.get('content-disposition')).toBe('attachment; filename="id_contract"');
    expect(await pem.text()).toContain('PRIVATE KEY');
    const { keys } = await lab.api(sshContracts.authorizedKeys);
    expect(keys.some((k) => k.line === key.publicKey)).toBe(true);

    await lab.api(sshContracts.mkdir, { body: { path: '/typed' } });
    const bytes = randomBytes(5000);
    const { transfer } = await lab.api(sshContracts.upload, { query: { path: '/typed/a.bin' }, body: bytes });
    expect(transfer).toMatchObject({ direction: 'upload', path: '/typed/a.bin', bytes: 5000, error: null });
    const listing = await lab.api(sshContracts.list, { query: { path: '/typed' } });
    expect(listing.entries.map((e) => [e.name, e.type, e.size])).toEqual([['a.bin', 'file', 5000]]);
    await lab.api(sshContracts.rename, { body: { from: '/typed/a.bin', to: '/typed/b.bin' } });
    const download = await lab.api(sshContracts.download, { query: { path: '/typed/b.bin' } });
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    await expect(lab.api(sshContracts.remove, { body: { path: '/typed/b.bin' } })).resolves.toEqual({ ok: true });
    // A bad param is no route at all, as before; a bad body names the field.
    await expect(lab.api('/api/ssh/known-hosts/x', { method: 'DELETE' })).rejects.toThrow(/^404 /);
    await expect(lab.api(sshContracts.mkdir, { body: { path: '' } })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('path:') });
  });

  it('FTP: client session, upload with a chosen transfer id, its record and the download', async () => {
    const session = 'typed-contracts';
    const open = await lab.api(ftpContracts.client, { body: { session, action: 'open' } });
    expect(open.ok).toBe(true);
    const body = Buffer.from('typed upload\n');
    const up = await lab.api(ftpContracts.upload, { query: { name: 'typed.txt', transfer: 'typed-1' }, body });
    expect(up).toMatchObject({ transfer: 'typed-1', bytes: body.length });
    await expect(lab.api(ftpContracts.transfer, { params: { id: 'typed-1' } })).resolves.toMatchObject({ direction: 'upload', done: true, bytes: body.length, error: null });
    const ls = await lab.api(ftpContracts.client, { body: { session, action: 'ls' } });
    expect(Array.isArray(ls.result) && ls.result.some((e) => e.name === 'typed.txt')).toBe(true);
    const down = await lab.api(ftpContracts.download, { query: { name: 'typed.txt', passive: '1' } });
    expect(await down.text()).toBe('typed upload\n');
    await lab.api(ftpContracts.client, { body: { session, action: 'close' } });
    await expect(lab.api(ftpContracts.status)).resolves.toMatchObject({ firewall: false });
  });

  it('SOAP: WSDL summary and document, a generated envelope sent through the tap, the mail table', async () => {
    const wsdl = await lab.api(soapContracts.wsdl);
    expect(wsdl.operations.map((o) => o.name)).toEqual(['getMonth', 'getYear']);
    const xml = await lab.api(soapContracts.wsdlXml);
    expect(await xml.text()).toContain('<wsdl:definitions');
    const generated = await lab.api(soapContracts.envelope, { query: { operation: 'getYear', version: '1.2', year: 2024 } });
    expect(generated.headers['Content-Type']).toContain('application/soap+xml');
    const exchange = await lab.api(soapContracts.http, { body: { envelope: generated.envelope, version: '1.2', operation: 'getYear' } });
    expect(exchange.status).toBe(200);
    await expect(lab.api(soapContracts.mailTable)).resolves.toMatchObject({ rows: [], strays: [] });

    // The exchange's connection, through the core contracts.
    const page = await lab.api(coreContracts.connection, { params: { id: exchange.conn ?? '' }, query: { limit: 2 } });
    expect(page.messages).toHaveLength(2);
    expect(page.more).toBe(true);
    const { connections } = await lab.api(coreContracts.connections, { query: { protocol: 'soap' } });
    expect(connections.some((c) => c.id === exchange.conn)).toBe(true);
  });

  it('step mode through its contract', async () => {
    const on = await lab.api(coreContracts.setStep, { params: { protocol: 'smtp' }, body: { enabled: true } });
    expect(on).toMatchObject({ protocol: 'smtp', enabled: true, held: 0 });
    const off = await lab.api(coreContracts.setStep, { params: { protocol: 'smtp' }, body: { enabled: false } });
    expect(off.enabled).toBe(false);
    await expect(lab.api(coreContracts.setStep, { params: { protocol: 'nope' }, body: {} })).rejects.toMatchObject({ status: 404 });
  });
});
