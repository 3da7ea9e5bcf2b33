import { describe, expect, it } from 'vitest';
import type { SshServerEvent } from './server-events.ts';
import { SshEndpointView } from './endpoint.ts';
import { chooseAlgorithm, negotiate, type KexinitLists } from './negotiate.ts';

const ref = { connId: 1, remotePort: 5000 };
const debug = (line: string): SshServerEvent => ({ ...ref, type: 'debug', line });

// Real ssh2 1.17 server debug lines (prefix stripped), in order.
const HANDSHAKE = [
  "Local ident: 'SSH-2.0-ProtocolLab_1.0'",
  "Remote ident: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3'",
  'Outbound: Sending KEXINIT',
  'Inbound: Handshake in progress',
  'Handshake: (local) KEX method: curve25519-sha256@libssh.org,curve25519-sha256,kex-strict-s-v00@openssh.com',
  'Handshake: (remote) KEX method: sntrup761x25519-sha512@openssh.com,curve25519-sha256,ext-info-c,kex-strict-c-v00@openssh.com',
  'Handshake: strict KEX mode enabled',
  'Handshake: KEX algorithm: curve25519-sha256',
  'Handshake: (local) Host key format: ssh-ed25519,ecdsa-sha2-nistp256',
  'Handshake: (remote) Host key format: ssh-ed25519',
  'Handshake: Host key format: ssh-ed25519',
  'Handshake: C->S Cipher: chacha20-poly1305@openssh.com',
  'Handshake: S->C cipher: chacha20-poly1305@openssh.com',
  'Handshake: C->S MAC: <implicit>',
  'Handshake: S->C MAC: <implicit>',
  'Handshake: C->S compression: none',
  'Handshake: S->C compression: none',
  'Received DH Init',
  'Generating signature ...',
  'Outbound: Sending KEXECDH_REPLY',
  'Outbound: Sending NEWKEYS',
  'Inbound: NEWKEYS',
  'Handshake completed',
  'Inbound: Received SERVICE_REQUEST (ssh-userauth)',
  'Outbound: Sending SERVICE_ACCEPT (ssh-userauth)',
  'Inbound: CHANNEL_OPEN (s:0, session)',
  'Outbound: Sending CHANNEL_OPEN_CONFIRMATION (r:0, l:0)',
  'Inbound: CHANNEL_REQUEST (r:0, subsystem: sftp)',
  'Inbound: CHANNEL_DATA (r:0, 9)',
  'Outbound: Sending CHANNEL_DATA (r:0, 9)',
  'Outbound: Sending DISCONNECT (11)',
  'SFTP: Inbound: Received INIT (v3)',
];

describe('SSH endpoint view', () => {
  const view = new SshEndpointView((type) => (type === 'ssh-ed25519' ? 'SHA256:abc' : undefined));
  const out = HANDSHAKE.flatMap((line) => view.handle(debug(line)));
  const texts = out.map((m) => `${m.dir} ${m.text}`);

  it.each([
    ['server SSH-2.0-ProtocolLab_1.0', 'ssh.version.server'],
    ['client SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', 'ssh.version.client'],
    ['client KEX_ECDH_INIT Q_C (client ephemeral public key)', 'ssh.msg.KEX_ECDH_INIT'],
    ['server KEX_ECDH_REPLY host key K_S ssh-ed25519 SHA256:abc, Q_S, signature over H', 'ssh.msg.KEX_ECDH_REPLY'],
    ['server NEWKEYS', 'ssh.msg.NEWKEYS'],
    ['client NEWKEYS', 'ssh.msg.NEWKEYS'],
    ['client SERVICE_REQUEST (ssh-userauth)', 'ssh.msg.SERVICE_REQUEST'],
    ['client CHANNEL_REQUEST (r:0, subsystem: sftp)', 'ssh.channel.subsystem'],
    ['server DISCONNECT 11 BY_APPLICATION', 'ssh.disconnect.BY_APPLICATION'],
  ])('shows "%s" annotated %s', (text, key) => {
    expect(out[texts.indexOf(text)]?.annotation?.key).toBe(key);
  });

  it('says the fingerprint is a hash of the key known_hosts keeps: known_hosts stores the whole public key, not its fingerprint', () => {
    const reply = out.find((m) => m.annotation?.key === 'ssh.msg.KEX_ECDH_REPLY');
    expect(reply?.fields?.find((f) => f.name === 'K_S fingerprint')).toMatchObject({ value: 'SHA256:abc', note: 'a hash of the public key, which known_hosts keeps whole' });
  });

  it.each([
    ['x11-req', 'ssh.channel.x11-req', 'RFC 4254 §6.3.1'],
    ['auth-agent-req@openssh.com', 'ssh.channel.auth-agent-req@openssh.com', 'OpenSSH PROTOCOL.agent'],
    ['env', 'ssh.channel.env', 'RFC 4254 §6.4'],
    ['exec: ls -l', 'ssh.channel.exec', 'RFC 4254 §6.5'],
    ['keepalive@openssh.com', 'ssh.channel.keepalive@openssh.com', 'OpenSSH ssh_config(5) ServerAliveInterval; RFC 4254 §5.4'],
  ])('explains the channel request %s where it is defined', (request, key, source) => {
    // ssh -X, ssh -A, SendEnv, a command, ServerAliveInterval: each after the handshake above.
    const fresh = new SshEndpointView(() => undefined);
    HANDSHAKE.slice(0, 36).forEach((line) => fresh.handle(debug(line)));
    const [message] = fresh.handle(debug(`Inbound: CHANNEL_REQUEST (r:0, ${request})`));
    expect(message.annotation).toMatchObject({ key, ref: source });
    expect(message.annotation?.explain).not.toBe('');
  });

  it('emits both KEXINITs with their lists and the chosen algorithms with the rule', () => {
    const kexinits = out.filter((m) => m.annotation?.key === 'ssh.msg.KEXINIT');
    expect(kexinits.map((m) => m.dir)).toEqual(['server', 'client']);
    expect(kexinits[1].fields?.find((f) => f.name === 'kex')?.value).toContain('sntrup761');
    const chosen = out.find((m) => m.kind === 'negotiation');
    expect(chosen?.text).toContain('curve25519-sha256 · ssh-ed25519 · chacha20-poly1305@openssh.com');
    expect(chosen?.fields?.find((f) => f.name === 'strict KEX')?.value).toBe('on');
    expect(chosen?.annotation?.ref).toBe('RFC 4253 §7.1');
  });

  it('hides SFTP channel data (SFTP requests are annotated instead) and internal lines', () => {
    expect(texts.some((t) => t.includes('CHANNEL_DATA'))).toBe(false);
    expect(texts.some((t) => t.includes('Generating') || t.includes('SFTP: '))).toBe(false);
    expect(out.every((m) => m.bytes === 0)).toBe(true);
  });

  it('keeps a shell channel\'s data in the timeline beside an SFTP channel\'s, whichever ids each side chose', () => {
    const fresh = new SshEndpointView(() => undefined);
    HANDSHAKE.slice(0, 34).forEach((line) => fresh.handle(debug(line)));
    const shown = [
      'Inbound: CHANNEL_OPEN (s:7, session)',
      'Outbound: Sending CHANNEL_OPEN_CONFIRMATION (r:7, l:1)',
      'Inbound: CHANNEL_OPEN (s:8, session)',
      'Outbound: Sending CHANNEL_OPEN_CONFIRMATION (r:8, l:2)',
      'Inbound: CHANNEL_REQUEST (r:2, subsystem: sftp)',
      // r: names the receiver's channel: ours (1, 2) inbound, the client's (7, 8) outbound.
      'Inbound: CHANNEL_DATA (r:1, 5)',
      'Inbound: CHANNEL_DATA (r:2, 9)',
      'Outbound: Sending CHANNEL_DATA (r:7, 12)',
      'Outbound: Sending CHANNEL_DATA (r:8, 9)',
      'SFTP: Outbound: Buffered STATUS',
    ].flatMap((line) => fresh.handle(debug(line)));
    expect(shown.filter((m) => m.text.startsWith('CHANNEL_DATA')).map((m) => `${m.dir} ${m.text}`)).toEqual([
      'client CHANNEL_DATA (r:1, 5)',
      'server CHANNEL_DATA (r:7, 12)',
    ]);
  });

  it('reports a negotiation failure in OpenSSH words', () => {
    const v = new SshEndpointView(() => undefined);
    const failure = ['Handshake: (local) KEX method: diffie-hellman-group14-sha1', 'Handshake: (remote) KEX method: curve25519-sha256', 'Handshake: no matching key exchange algorithm'].flatMap((l) => v.handle(debug(l)));
    expect(failure.at(-1)).toMatchObject({ text: 'Unable to negotiate: no matching key exchange method found', annotation: { key: 'ssh.kex.failed', level: 'error' } });
  });

  it('never shows a password and names the continuing methods after a failure', () => {
    const v = new SshEndpointView(() => undefined);
    const msgs = v.handle({ ...ref, type: 'auth', method: 'password', username: 'student', outcome: 'failure', methodsLeft: ['publickey', 'password'], failures: 1 });
    expect(msgs.map((m) => m.text)).toEqual(['USERAUTH_REQUEST user "student" method password (password hidden)', 'USERAUTH_FAILURE can continue: publickey,password']);
  });

  it.each([
    ['none', 'RFC 4252 §5.2'],
    ['publickey', 'RFC 4252 §7'],
    ['password', 'RFC 4252 §8'],
  ])('cites the section that defines the %s method', (method, section) => {
    const v = new SshEndpointView(() => undefined);
    const [request] = v.handle({ connId: 1, remotePort: 5000, type: 'auth', method, username: 'student', outcome: 'failure', methodsLeft: ['publickey', 'password'], failures: 0 });
    expect(request.annotation?.ref).toBe(section);
  });

  it('decodes EXT_INFO: server-sig-algs as a field, unknown names flagged; a malformed payload still gives a message', () => {
    const v = new SshEndpointView(() => undefined);
    const u32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    const str = (t: string) => [...u32(t.length), ...Buffer.from(t)];
    const payload = Uint8Array.from([7, ...u32(1), ...str('server-sig-algs'), ...str('ssh-ed25519,rsa-sha2-256,bogus-alg'), 0, 0, 0]);
    const [m] = v.handle({ connId: 1, remotePort: 5000, type: 'ext-info', payload });
    expect(m).toMatchObject({ dir: 'server', text: 'EXT_INFO 1 extension: server-sig-algs', annotation: { key: 'ssh.msg.EXT_INFO', ref: 'RFC 8308 §2.3' } });
    expect(m.fields?.[0]).toMatchObject({ name: 'server-sig-algs', value: 'ssh-ed25519,rsa-sha2-256,bogus-alg' });
    expect(m.fields?.[0].note).toContain('bogus-alg');
    const [bad] = v.handle({ connId: 1, remotePort: 5000, type: 'ext-info', payload: Uint8Array.from([7, 0, 0, 0, 9, 0]) });
    expect(bad.text).toBe('EXT_INFO');
  });

  it.each([
    ['Automatic rejection of incoming channel request: exec', 'ssh.msg.CHANNEL_FAILURE', 'RFC 4254 §5.4'],
    ['Automatic rejection of unsupported incoming channel open type: x11', 'ssh.msg.CHANNEL_OPEN_FAILURE', 'RFC 4254 §5.1'],
  ])('names what ssh2 refused on its own: "%s" is a %s', (line, key, source) => {
    const [message] = new SshEndpointView(() => undefined).handle(debug(line));
    expect(message.annotation).toMatchObject({ key, ref: source, level: 'warn' });
  });

  it('drops ssh2\'s rejection line for a window-change its listener already accepted', () => {
    expect(new SshEndpointView(() => undefined).handle(debug('Automatic rejection of incoming channel request: window-change'))).toEqual([]);
  });

  it('escapes control characters coming from the client', () => {
    const v = new SshEndpointView(() => undefined);
    const [m] = v.handle({ ...ref, type: 'command', mode: 'exec', line: 'echo \x1b[31mred', exitCode: 0 });
    expect(m.text).toBe('$ echo ^[[31mred');
  });
});

describe('negotiation (RFC 4253 §7.1)', () => {
  const lists = (kex: string, cipher: string, mac = 'hmac-sha2-256'): KexinitLists => ({
    kex_algorithms: kex.split(','),
    server_host_key_algorithms: ['ssh-ed25519'],
    encryption_algorithms_client_to_server: cipher.split(','),
    encryption_algorithms_server_to_client: cipher.split(','),
    mac_algorithms_client_to_server: mac.split(','),
    mac_algorithms_server_to_client: mac.split(','),
    compression_algorithms_client_to_server: ['none'],
    compression_algorithms_server_to_client: ['none'],
    languages_client_to_server: [],
    languages_server_to_client: [],
  });

  it.each([
    [['a', 'b', 'c'], ['c', 'b'], 'b'],
    [['ext-info-c', 'x'], ['ext-info-c', 'x'], 'x'],
    [['a'], ['b'], undefined],
  ])('client %j, server %j → %s', (client, server, chosen) => expect(chooseAlgorithm(client, server)).toBe(chosen));

  it('takes the client order even when the server prefers otherwise, and makes MACs implicit for AEAD', () => {
    const n = negotiate(lists('curve25519-sha256,ecdh-sha2-nistp256', 'aes128-gcm@openssh.com,aes128-ctr'), lists('ecdh-sha2-nistp256,curve25519-sha256', 'aes128-ctr,aes128-gcm@openssh.com'));
    expect(n.chosen).toMatchObject({ kex: 'curve25519-sha256', 'cipher c→s': 'aes128-gcm@openssh.com', 'mac c→s': '<implicit>' });
    expect(n.failed).toBeUndefined();
  });

  it('stops at the first category without a common algorithm', () => {
    expect(negotiate(lists('curve25519-sha256', 'aes128-ctr'), lists('diffie-hellman-group14-sha1', 'aes128-ctr')).failed).toBe('kex');
  });
});
