import { describe, expect, it } from 'vitest';
import { endpointMessage } from './endpoint.ts';

describe('libzmq handshake errors in the endpoint view', () => {
  it('says the client closed the connection when the server only saw its write fail', () => {
    const note = endpointMessage({ socket: 'pub', type: 'monitor', event: 'handshake:error:other', detail: 'Broken pipe' }, 'NULL');
    expect(note?.annotation?.title).toBe('Handshake ended: the client closed the connection');
    expect(note?.annotation?.level).toBe('warn');
    expect(note?.annotation?.explain).toContain('(Broken pipe)');
  });

  it('names a mechanism mismatch before anything else, and a wrong CURVE key as an error at the server', () => {
    expect(endpointMessage({ socket: 'curve', type: 'monitor', event: 'handshake:error:protocol' }, 'NULL')?.annotation?.title).toBe('Security mechanisms differ');
    const curve = endpointMessage({ socket: 'curve', type: 'monitor', event: 'handshake:error:protocol' }, 'CURVE');
    expect(curve?.annotation).toMatchObject({ title: 'Handshake failed at the server', level: 'error' });
  });
});

describe('a request as the REP application gets it', () => {
  it('cites the REP socket\'s envelope rule, ZeroMQ RFC 28 §5 (RFC 37 §4.1 only defers to RFC 28)', () => {
    const note = endpointMessage({ socket: 'rep', type: 'received', frames: [Buffer.from('Hello')] });
    expect(note?.annotation?.title).toBe('The request without its envelope');
    expect(note?.annotation?.ref).toBe('ZeroMQ RFC 28 §5; ZMTP RFC 37 §4.1');
  });
});
