/**
 * The SSH handshake timeline as a pure function of one connection's LabMessages: the seed's ten
 * steps (plus the TCP connect before them), each with a state, a one-line summary built from the
 * real messages, detail rows and the ids of the messages that belong to it. Works for any client
 * (the browser terminal, OpenSSH, FileZilla…) because it reads only what the tap and the server saw;
 * the browser terminal can add what only the client knows (the known_hosts verdict) as a hint.
 */
import type { LabMessage } from '@/lib/wire/event.ts';
import {
  CATEGORIES,
  ENCRYPTED_STEPS,
  LIST_CATEGORY,
  STEP_IDS,
  STEP_META,
  classify,
  field,
  isMsg,
  keyOf,
  stepIndex,
  type DeriveOptions,
  type HandshakeStep,
  type Negotiated,
  type StepDetail,
  type StepId,
  type StepState,
} from './handshake-steps';
import { counted } from '@/lib/text/numbers.ts';

/** Derives the timeline of one SSH connection from its messages (any order; sorted by seq). */
export function deriveHandshake(input: readonly LabMessage[], options: DeriveOptions): HandshakeStep[] {
  const messages = [...input].sort((a, b) => a.seq - b.seq);
  const byStep = new Map<StepId, LabMessage[]>(STEP_IDS.map((id) => [id, []]));
  // Ambiguous messages (CHANNEL_SUCCESS, ciphertext, errors) join the furthest step reached so far.
  let current: StepId = 'tcp';
  for (const m of messages) {
    let step = classify(m);
    if (step === null) {
      step = m.kind === 'encrypted' && stepIndex(current) < stepIndex('newkeys') ? 'newkeys' : current;
    }
    byStep.get(step)!.push(m);
    if (stepIndex(step) > stepIndex(current) && step !== 'close') current = step;
  }
  const of = (id: StepId) => byStep.get(id)!;
  const all = messages;
  const find = (pred: (m: LabMessage) => boolean, list: readonly LabMessage[] = all) => list.find(pred);
  const pref = (list: LabMessage[]) => [...list].sort((a, b) => (a.view === b.view ? 0 : a.view === 'wire' ? -1 : 1));

  const steps = new Map<StepId, Omit<HandshakeStep, 'id' | 'title' | 'wire' | 'ref' | 'messageIds'> & { extra?: string[] }>();
  const set = (id: StepId, state: StepState, summary: string, details: StepDetail[] = [], more: Partial<HandshakeStep> & { extra?: string[] } = {}) =>
    steps.set(id, { state, summary, details, ...more });

  // 0. TCP
  set('tcp', all.length > 0 || options.client ? 'done' : 'pending', options.client ? `from ${options.client}` : 'three-way handshake, then SSH starts', options.client ? [{ label: 'client', value: options.client }] : []);

  // 1. Versions
  const versions = of('version');
  const vc = find((m) => m.kind === 'version' && m.dir === 'client', pref(versions));
  const vs = find((m) => m.kind === 'version' && m.dir === 'server', pref(versions));
  const badVersion = find((m) => m.annotation?.level === 'error', versions);
  set(
    'version',
    badVersion ? 'failed' : vc && vs ? 'done' : 'pending',
    badVersion ? badVersion.annotation!.title : vc || vs ? `V_C ${vc?.text ?? '…'}  ·  V_S ${vs?.text ?? '…'}` : 'each side sends SSH-2.0-software',
    [
      ...(vc ? [{ label: 'V_C (client)', value: vc.text, note: 'hashed into H' }] : []),
      ...(vs ? [{ label: 'V_S (server)', value: vs.text, note: 'hashed into H' }] : []),
    ],
  );

  // 2. KEXINIT and the choice per category
  const kex = of('kexinit');
  const kexFailed = find((m) => m.kind === 'negotiation' && (keyOf(m) === 'ssh.kex.failed' || m.text.startsWith('Unable')), kex);
  const chosenNote = find((m) => m.kind === 'negotiation' && !m.text.startsWith('Unable'), pref(kex));
  const negotiation = negotiate(kex, kexFailed ?? chosenNote);
  const kexinitsSeen = new Set(kex.filter((m) => isMsg(m, 'KEXINIT') || m.text.startsWith('KEXINIT')).map((m) => m.dir));
  const chosen = (category: string) => negotiation.find((n) => n.category === category)?.chosen ?? field(chosenNote, category)?.value;
  set(
    'kexinit',
    kexFailed ? 'failed' : chosenNote ? 'done' : kexinitsSeen.size ? 'active' : 'pending',
    kexFailed
      ? kexFailed.text
      : chosenNote
        ? [chosen('kex'), chosen('hostkey'), chosen('cipher c→s'), chosen('mac c→s') === '<implicit>' ? null : `MAC ${chosen('mac c→s')}`].filter(Boolean).join(' · ')
        : 'both sides list what they support',
    [
      { label: 'rule', value: 'first algorithm on the CLIENT’s list that the server also supports', note: 'RFC 4253 §7.1' },
      ...(field(chosenNote, 'strict KEX') ? [{ label: 'strict KEX', value: field(chosenNote, 'strict KEX')!.value, note: 'Terrapin mitigation' }] : []),
    ],
    { negotiation },
  );

  // 3. ECDH
  const ecdh = of('ecdh');
  const init = pref(ecdh).find((m) => m.dir === 'client');
  const reply = pref(ecdh).find((m) => m.dir === 'server');
  const value = (name: string) => ecdh.map((m) => field(m, name)?.value).find(Boolean);
  const hostKeyType = value('K_S type');
  const fingerprint = value('K_S fingerprint');
  set(
    'ecdh',
    reply ? 'done' : init ? 'active' : 'pending',
    reply ? `host key ${hostKeyType ?? ''} ${fingerprint ?? ''} · K is never sent`.replace(/\s+/g, ' ') : init ? 'client sent Q_C, waiting for the server' : 'each side sends a public value; K is computed, never sent',
    [
      ...(value('Q_C') ? [{ label: 'Q_C', value: value('Q_C')!, note: 'client’s ephemeral public key' }] : init ? [{ label: 'Q_C', value: 'sent', note: 'client’s ephemeral public key' }] : []),
      ...(value('Q_S') ? [{ label: 'Q_S', value: value('Q_S')!, note: 'server’s ephemeral public key' }] : []),
      ...(hostKeyType ? [{ label: 'K_S', value: `${hostKeyType}${fingerprint ? ` ${fingerprint}` : ''}`, note: 'the server’s long-term host key' }] : []),
      ...(value('signature') ? [{ label: 'signature', value: value('signature')!, note: 'K_S signs the exchange hash H' }] : []),
      { label: 'shared secret K', value: 'never sent', note: 'both sides compute it from their private key and the other’s public value; keys are derived from K and H' },
    ],
  );

  // 4. Host key check (client side): NEWKEYS from the client means it accepted the key.
  const newkeys = of('newkeys');
  const clientNewkeys = newkeys.some((m) => m.dir === 'client' && isMsg(m, 'NEWKEYS'));
  const serverNewkeys = newkeys.some((m) => m.dir === 'server' && isMsg(m, 'NEWKEYS'));
  const earlyDisconnects = reply && !clientNewkeys ? of('close').filter((m) => /^DISCONNECT\b/.test(m.text) && m.dir === 'client') : [];
  const earlyDisconnect = earlyDisconnects[0];
  // The daemon's console records its verdict as a note (ssh.hostkey.*); the terminal hint covers the rest.
  const NOTE_HINTS = { known: 'matched', accepted: 'added', refused: 'refused', changed: 'changed' } as const;
  const noted = messages.map((m) => m.annotation?.key?.match(/^ssh\.hostkey\.(known|accepted|refused|changed)$/)?.[1]).find(Boolean) as
    | keyof typeof NOTE_HINTS
    | undefined;
  const hint = noted ? NOTE_HINTS[noted] : options.hostKey;
  const hostRejected = hint === 'changed' || hint === 'refused' || (!!earlyDisconnect && hint !== 'added' && hint !== 'matched');
  const hostDetails: StepDetail[] = fingerprint ? [{ label: 'server’s key', value: `${hostKeyType ?? ''} ${fingerprint}`.trim(), note: 'compare with the fingerprint the lab shows' }] : [];
  const hostSummary = hostRejected
    ? hint === 'changed'
      ? 'key CHANGED since known_hosts was written — the client refused (possible man in the middle)'
      : hint === 'refused'
        ? 'you answered no — the client refused the key'
        : 'the client refused the host key and disconnected'
    : hint === 'added'
      ? 'first contact: you answered yes, the key was added to known_hosts'
      : hint === 'matched' || (clientNewkeys && hint === undefined && reply)
        ? hint === 'matched'
          ? 'the key matches known_hosts'
          : 'the client accepted the key (it went on to NEWKEYS)'
        : hint === 'asking'
          ? 'waiting for your answer in the terminal (yes/no)'
          : 'the client looks the key up in known_hosts';
  set('hostkey', hostRejected ? 'failed' : clientNewkeys || hint === 'added' || hint === 'matched' ? 'done' : reply ? 'active' : 'pending', hostSummary, hostDetails, {
    extra: [...ecdh.filter((m) => m.dir === 'server').map((m) => m.id), ...earlyDisconnects.map((m) => m.id)],
  });

  // 5. NEWKEYS
  set(
    'newkeys',
    clientNewkeys && serverNewkeys ? 'done' : clientNewkeys || serverNewkeys ? 'active' : 'pending',
    clientNewkeys && serverNewkeys ? 'from here on the wire is ciphertext' : 'each side switches to the keys derived from K and H',
    [{ label: 'cipher', value: chosen('cipher c→s') ?? '—', note: 'everything after NEWKEYS is encrypted with it' }],
  );

  // 6. SERVICE_REQUEST
  const service = of('service');
  const accepted = service.some((m) => /SERVICE_ACCEPT/.test(m.text) || keyOf(m).endsWith('SERVICE_ACCEPT'));
  set('service', accepted ? 'done' : service.length ? 'active' : 'pending', accepted ? 'ssh-userauth accepted' : 'the client asks for the ssh-userauth service', []);

  // 7. USERAUTH
  const auth = of('userauth');
  const success = auth.find((m) => /^USERAUTH_SUCCESS/.test(m.text) || keyOf(m) === 'ssh.msg.USERAUTH_SUCCESS');
  const attempts = auth.filter((m) => m.dir === 'client' && /^USERAUTH_REQUEST/.test(m.text));
  const authDetails: StepDetail[] = [];
  for (const m of auth) {
    if (m.view === 'wire') continue;
    if (m.dir === 'client' && /^USERAUTH_REQUEST/.test(m.text)) authDetails.push({ label: `→ ${field(m, 'method')?.value ?? 'request'}`, value: m.text.replace(/^USERAUTH_REQUEST /, ''), note: m.annotation?.title });
    else if (m.dir === 'server') authDetails.push({ label: '←', value: m.text, note: m.annotation?.level === 'warn' ? 'refused' : undefined });
  }
  const lastFailure = [...auth].reverse().find((m) => /^USERAUTH_FAILURE/.test(m.text));
  const method = success ? field([...attempts].reverse()[0], 'method')?.value : undefined;
  const wrongTries = auth.filter((m) => /^USERAUTH_FAILURE/.test(m.text) && m.annotation?.level === 'warn').length;
  set(
    'userauth',
    success ? 'done' : auth.length ? 'active' : 'pending',
    success
      ? `logged in with ${method ?? 'a method'}${wrongTries ? ` after ${counted(wrongTries, 'refused attempt')}` : ''}`
      : lastFailure
        ? `refused so far — ${lastFailure.text.replace(/^USERAUTH_FAILURE /, '')}`
        : 'password, or publickey: query → PK_OK → signature',
    authDetails,
  );

  // 8. Channel
  const channel = of('channel');
  const opened = channel.find((m) => /^CHANNEL_OPEN_CONFIRMATION/.test(m.text));
  const openFailed = channel.find((m) => /^CHANNEL_OPEN_FAILURE/.test(m.text));
  const request = channel.find((m) => ['ssh.channel.shell', 'ssh.channel.exec', 'ssh.channel.subsystem'].includes(keyOf(m)));
  const pty = channel.find((m) => keyOf(m) === 'ssh.channel.pty-req');
  const requestWord = request ? requestLabel(request) : undefined;
  set(
    'channel',
    request ? 'done' : openFailed && !opened ? 'failed' : channel.length ? 'active' : 'pending',
    request ? ['session', pty ? `pty ${field(pty, 'size')?.value ?? ''}`.trim() : null, requestWord].filter(Boolean).join(' · ') : openFailed ? openFailed.text : 'CHANNEL_OPEN session, then pty-req and shell (or exec, or subsystem sftp)',
    [
      ...channel.filter((m) => m.dir === 'client' && m.kind !== 'encrypted').map((m) => ({ label: '→', value: m.text })),
    ],
  );

  // 9. Data
  const data = of('data');
  const commands = data.filter((m) => m.kind === 'command');
  const sftp = data.filter((m) => m.kind === 'sftp');
  const packets = data.filter((m) => /^CHANNEL_(DATA|EXTENDED_DATA)/.test(m.text)).length;
  set(
    'data',
    data.length ? 'done' : 'pending',
    data.length
      ? [commands.length ? `${counted(commands.length, 'command')} (${commands.slice(-3).map((c) => c.text.replace(/^\$ /, '')).join(', ')})` : null, sftp.length ? counted(sftp.length, 'SFTP packet') : null, packets ? `${packets} CHANNEL_DATA` : null]
          .filter(Boolean)
          .join(' · ')
      : 'keystrokes and output travel as CHANNEL_DATA',
    commands.slice(-6).map((c) => ({ label: '$', value: c.text.replace(/^\$ /, ''), note: field(c, 'exit status') ? `exit status ${field(c, 'exit status')!.value}` : undefined })),
  );

  // 10. Close
  const close = of('close');
  const disconnect = pref(close).find((m) => /^DISCONNECT\b/.test(m.text));
  const exitStatus = close.find((m) => keyOf(m) === 'ssh.channel.exit-status');
  set(
    'close',
    options.ended || disconnect ? 'done' : close.length ? 'active' : 'pending',
    disconnect ? `${disconnect.dir === 'client' ? 'client' : 'server'} sent ${disconnect.text}` : options.ended ? 'connection closed' : 'exit-status, EOF, CLOSE, DISCONNECT',
    [
      ...(exitStatus ? [{ label: 'exit-status', value: /exit-status: (\d+)/.exec(exitStatus.text)?.[1] ?? exitStatus.text }] : []),
      ...(disconnect ? [{ label: 'DISCONNECT', value: disconnect.text.replace(/^DISCONNECT /, ''), note: disconnect.annotation?.title }] : []),
    ],
  );

  // The flow: a failure ends it; once the connection has ended, the first unfinished step is where it stopped.
  const ordered = STEP_IDS.map((id) => ({ id, ...steps.get(id)! }));
  let stopped = false;
  let activeGiven = false;
  for (const step of ordered) {
    if (step.id === 'close') break;
    if (stopped) {
      if (step.state !== 'done') step.state = 'skipped';
      continue;
    }
    if (step.state === 'failed') {
      stopped = true;
      continue;
    }
    if (step.state === 'done') continue;
    if (options.ended) {
      // Nothing to send is not a failure (an exec that prints nothing).
      if (step.id !== 'data') step.state = 'failed';
      else step.state = 'skipped';
      if (step.id !== 'data' && step.summary && !/ended|refused|failed/i.test(step.summary)) step.summary = `the connection ended here — ${step.summary}`;
      stopped = true;
    } else if (!activeGiven && all.length > 0) {
      step.state = 'active';
      activeGiven = true;
    } else step.state = 'pending';
  }
  if (activeGiven) {
    // Only one step is "in progress"; later ones wait.
    let seen = false;
    for (const step of ordered) {
      if (step.state === 'active') {
        if (seen) step.state = 'pending';
        seen = true;
      }
    }
  }

  return ordered.map(({ id, extra, ...rest }) => ({
    id,
    ...STEP_META[id],
    ...rest,
    ...(options.view === 'wire' && ENCRYPTED_STEPS.has(id) && clientNewkeys && serverNewkeys ? eavesdropperView(of(id)) : {}),
    messageIds: [...of(id).map((m) => m.id), ...(extra ?? [])],
  }));
}

/** What an eavesdropper can say about a step inside the tunnel: ciphertext sizes, nothing of its contents. */
function eavesdropperView(messages: readonly LabMessage[]): Pick<HandshakeStep, 'summary' | 'details'> {
  const seen = messages.filter((m) => m.view === 'wire' && m.kind === 'encrypted');
  const bytes = (dir: 'client' | 'server') => seen.filter((m) => m.dir === dir).reduce((n, m) => n + (m.bytes ?? 0), 0);
  if (seen.length === 0) return { summary: 'encrypted: nothing an eavesdropper can attribute to this step', details: [] };
  return {
    summary: `encrypted: ${bytes('client').toLocaleString('en')} bytes →, ${bytes('server').toLocaleString('en')} bytes ← — contents hidden`,
    details: [
      { label: 'client → server', value: `${bytes('client').toLocaleString('en')} bytes of ciphertext` },
      { label: 'server → client', value: `${bytes('server').toLocaleString('en')} bytes of ciphertext`, note: 'sizes and timing are all an eavesdropper learns here' },
    ],
  };
}

/** "shell", "exec: ls", "subsystem sftp". */
function requestLabel(m: LabMessage): string {
  const key = keyOf(m);
  const detail = /\((?:r:\d+, )?(.*)\)$/.exec(m.text)?.[1];
  if (key === 'ssh.channel.subsystem') return 'subsystem sftp';
  if (key === 'ssh.channel.exec') return detail ?? 'exec';
  return 'shell';
}

/** Both KEXINITs' lists per category and the choice; prefers the wire decode (full lists). */
function negotiate(kex: LabMessage[], note: LabMessage | undefined): Negotiated[] {
  const lists = (dir: 'client' | 'server'): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    const candidates = kex.filter((m) => m.dir === dir && m.text.startsWith('KEXINIT')).sort((a, b) => (a.view === b.view ? 0 : a.view === 'wire' ? -1 : 1));
    for (const m of candidates) {
      for (const f of m.fields ?? []) {
        const category = LIST_CATEGORY[f.name] ?? (CATEGORIES.includes(f.name) ? f.name : undefined);
        if (category && !out[category]) out[category] = f.value.replace(/…$/, '').split(',').filter(Boolean);
      }
    }
    return out;
  };
  const client = lists('client');
  const server = lists('server');
  if (!Object.keys(client).length && !Object.keys(server).length && !note) return [];
  return CATEGORIES.map((category) => {
    const noted = field(note, category)?.value;
    const chosen = noted && noted !== '(none in common)' ? noted : null;
    return { category, client: client[category] ?? [], server: server[category] ?? [], chosen };
  }).filter((n) => n.client.length || n.server.length || n.chosen || field(note, n.category));
}
