import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';
import { deriveHandshake } from './handshake';
import { classify, STEP_IDS, type HandshakeStep, type HostKeyHint, type StepState } from './handshake-steps';

// Fixtures are real connections recorded from the lab daemon (browser terminal, OpenSSH 9.2, the SFTP panel).
function load(name: string): { connection: ConnectionInfo; messages: LabMessage[] } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}

function derive(name: string, hostKey?: HostKeyHint, ended = true, cut?: (m: LabMessage) => boolean): HandshakeStep[] {
  const { connection, messages } = load(name);
  return deriveHandshake(cut ? messages.filter(cut) : messages, { ended, client: connection.client, hostKey });
}

const states = (steps: HandshakeStep[]) => Object.fromEntries(steps.map((s) => [s.id, s.state])) as Record<string, StepState>;
const step = (steps: HandshakeStep[], id: string) => steps.find((s) => s.id === id)!;

describe('deriveHandshake', () => {
  it.each<[string, HostKeyHint | undefined, Partial<Record<(typeof STEP_IDS)[number], StepState>>]>([
    ['password', 'added', { tcp: 'done', version: 'done', kexinit: 'done', ecdh: 'done', hostkey: 'done', newkeys: 'done', service: 'done', userauth: 'done', channel: 'done', data: 'done', close: 'done' }],
    ['openssh-publickey', undefined, { hostkey: 'done', userauth: 'done', channel: 'done', data: 'done', close: 'done' }],
    ['sftp-panel', undefined, { userauth: 'done', channel: 'done', data: 'done' }],
    ['host-key-changed', 'changed', { ecdh: 'done', hostkey: 'failed', newkeys: 'skipped', service: 'skipped', userauth: 'skipped', channel: 'skipped', data: 'skipped', close: 'done' }],
    ['host-key-changed', undefined, { hostkey: 'failed', newkeys: 'skipped' }],
    ['restricted', undefined, { version: 'done', kexinit: 'failed', ecdh: 'skipped', hostkey: 'skipped', close: 'done' }],
    ['wrong-password', 'added', { service: 'done', userauth: 'failed', channel: 'skipped', close: 'done' }],
  ])('%s (host key %s) gives the right states', (name, hint, expected) => {
    expect(states(derive(name, hint))).toMatchObject(expected);
  });

  it('shows both version lines as V_C and V_S', () => {
    const version = step(derive('openssh-publickey'), 'version');
    expect(version.summary).toContain('V_C SSH-2.0-OpenSSH_9.2p1');
    expect(version.summary).toContain('V_S SSH-2.0-ProtocolLab_1.0');
  });

  it('lists both KEXINITs per category and picks the first client algorithm the server supports', () => {
    const kex = step(derive('openssh-publickey'), 'kexinit');
    const row = kex.negotiation!.find((n) => n.category === 'kex')!;
    expect(row.client[0]).toBe('sntrup761x25519-sha512');
    expect(row.chosen).toBe('curve25519-sha256');
    // The choice is the first entry of the client's list that the server also offers (RFC 4253 §7.1).
    expect(row.client.find((a) => row.server.includes(a))).toBe(row.chosen);
    expect(kex.negotiation!.map((n) => n.category)).toContain('cipher s→c');
  });

  it('teaches that K is never sent and names the host key', () => {
    const ecdh = step(derive('password', 'added'), 'ecdh');
    expect(ecdh.summary).toMatch(/ssh-ed25519 SHA256:\S+ · K is never sent/);
    expect(ecdh.details.find((d) => d.label === 'shared secret K')?.value).toBe('never sent');
    expect(ecdh.details.map((d) => d.label)).toEqual(expect.arrayContaining(['Q_C', 'Q_S', 'K_S', 'signature']));
  });

  it('names the negotiation failure when algorithms are restricted', () => {
    expect(step(derive('restricted'), 'kexinit').summary).toContain('no matching key exchange method found');
  });

  it('tells publickey logins apart and counts refused attempts', () => {
    expect(step(derive('openssh-publickey'), 'userauth').summary).toBe('logged in with publickey');
    const auth = step(derive('wrong-password', 'added'), 'userauth');
    expect(auth.summary).toMatch(/refused|ended/);
    expect(auth.details.filter((d) => d.label === '→ password')).toHaveLength(3);
  });

  it('summarises the session: pty, shell, commands and the exit', () => {
    const steps = derive('password', 'added');
    expect(step(steps, 'channel').summary).toBe('session · pty 80 columns × 24 rows · shell');
    expect(step(steps, 'data').summary).toContain('2 commands (ls, exit)');
    expect(step(steps, 'close').summary).toContain('DISCONNECT 11 BY_APPLICATION');
  });

  it('marks the SFTP subsystem and its SSH_FXP packets', () => {
    const steps = derive('sftp-panel');
    expect(step(steps, 'channel').summary).toContain('subsystem sftp');
    expect(step(steps, 'data').summary).toMatch(/\d+ SFTP packets/);
  });

  it('while the host-key question waits, that step is active and later ones pending', () => {
    const { messages } = load('password');
    const reply = messages.find((m) => m.text.startsWith('KEX_ECDH_REPLY') && m.view === 'wire')!;
    const s = states(derive('password', 'asking', false, (m) => m.seq <= reply.seq));
    expect(s).toMatchObject({ ecdh: 'done', hostkey: 'active', newkeys: 'pending', userauth: 'pending', close: 'pending' });
    expect(Object.values(s).filter((x) => x === 'active')).toHaveLength(1);
  });

  it('an empty connection is all pending', () => {
    const s = deriveHandshake([], { ended: false });
    expect(new Set(Object.values(states(s)))).toEqual(new Set(['pending']));
  });

  it('puts every message in exactly one step (plus the host-key step reusing K_S)', () => {
    const { messages } = load('password');
    const steps = derive('password', 'added');
    const ids = steps.filter((s) => s.id !== 'hostkey').flatMap((s) => s.messageIds);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(messages.length);
  });

  it.each<[Partial<LabMessage>, string | null]>([
    [{ kind: 'version', text: 'SSH-2.0-x' }, 'version'],
    [{ kind: 'packet', text: 'KEXINIT kex=…', annotation: { key: 'ssh.msg.KEXINIT', title: '', explain: '' } }, 'kexinit'],
    [{ kind: 'negotiation', text: 'Negotiated: …' }, 'kexinit'],
    [{ kind: 'packet', text: 'KEX_ECDH_INIT Q_C', annotation: { key: 'ssh.msg.KEX_ECDH_INIT', title: '', explain: '' } }, 'ecdh'],
    [{ kind: 'packet', text: 'NEWKEYS' }, 'newkeys'],
    [{ kind: 'packet', text: 'SERVICE_REQUEST (ssh-userauth)' }, 'service'],
    [{ kind: 'packet', text: 'USERAUTH_PK_OK ssh-ed25519' }, 'userauth'],
    [{ kind: 'packet', text: 'CHANNEL_OPEN (s:0, session)' }, 'channel'],
    [{ kind: 'sftp', text: 'SSH_FXP_OPEN /a' }, 'data'],
    [{ kind: 'packet', text: 'CHANNEL_EOF (r:0)' }, 'close'],
    [{ kind: 'packet', text: 'CHANNEL_SUCCESS (r:0)' }, null],
    [{ kind: 'encrypted', text: '[encrypted aes128-gcm] 52 bytes' }, null],
  ])('classifies %o as %s', (partial, expected) => {
    expect(classify({ id: 'x', conn: 'c', sandbox: 'local', protocol: 'ssh', seq: 1, t: 0, dir: 'client', view: 'endpoint', kind: 'packet', text: '', ...partial })).toBe(expected);
  });
});

describe('host-key note from the daemon console', () => {
  it('marks the host-key step from the ssh.hostkey.* note, even without a terminal hint', () => {
    const base = { conn: 'c', sandbox: 'local', protocol: 'ssh' as const, t: 0, view: 'endpoint' as const, bytes: 0 };
    const steps = deriveHandshake(
      [
        { ...base, id: 'c:1', seq: 1, dir: 'note', kind: 'note', text: 'Host key check: DIFFERENT from known_hosts', annotation: { key: 'ssh.hostkey.changed', title: 'x', explain: 'y' } },
      ],
      // Still open: once a connection has ended, steps it never reached are shown as skipped.
      { ended: false },
    );
    expect(steps.find((s) => s.id === 'hostkey')?.state).toBe('failed');
  });
});

describe('the eavesdropper view of the timeline', () => {
  const { connection, messages } = load('password');
  const wire = deriveHandshake(messages, { ended: true, client: connection.client, hostKey: 'added', view: 'wire' });
  const endpoint = deriveHandshake(messages, { ended: true, client: connection.client, hostKey: 'added' });

  it('says nothing about user, method or commands once the tunnel is up', () => {
    for (const id of ['service', 'userauth', 'channel', 'data', 'close'] as const) {
      const s = step(wire, id);
      const text = JSON.stringify([s.summary, s.details]);
      expect(text, id).not.toMatch(/student|password|method|pty|shell|\$ /);
      expect(s.summary, id).toMatch(/^encrypted/);
    }
    // The endpoint view still tells the whole story.
    expect(JSON.stringify(step(endpoint, 'userauth').details)).toContain('student');
  });

  it('keeps what the eavesdropper can read in clear (versions, algorithm lists)', () => {
    expect(step(wire, 'version').summary).toBe(step(endpoint, 'version').summary);
    expect(step(wire, 'kexinit').negotiation).toEqual(step(endpoint, 'kexinit').negotiation);
    expect(step(wire, 'userauth').state).toBe(step(endpoint, 'userauth').state);
  });
});

describe('the login step in the endpoint view', () => {
  it('lists requests and replies, not the ciphertext chunks beside them', () => {
    const { connection, messages } = load('wrong-password');
    const auth = deriveHandshake(messages, { ended: true, client: connection.client, hostKey: 'added' }).find((s) => s.id === 'userauth')!;
    expect(auth.details.some((d) => d.value.startsWith('[encrypted'))).toBe(false);
    expect(auth.details.some((d) => d.value.startsWith('USERAUTH_FAILURE'))).toBe(true);
  });
});
