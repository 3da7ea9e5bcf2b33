/**
 * The Orders provider, mounted on the SOAP lab's service host at /soap/orders: it publishes its WS-Policy in the
 * WSDL (GET ?wsdl, or WS-MetadataExchange GetMetadata posted to the endpoint) and enforces what it published,
 * per sandbox, live: WS-Addressing headers (SOAP Binding §6.4), an RM sequence in an offered version (RM 1.1
 * §3–4, RM 1.0 §3–4), mustUnderstand (SOAP 1.2 Part 1 §5.4.8). Every bad request is answered with a fault.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { HttpError, readBytes } from '../../../lib/http/api-kit.ts';
import { versionOfMediaType } from '../../../lib/protocols/soap/versions.ts';
import { MAX_XML_BYTES } from '../../../lib/protocols/soap/xml.ts';
import { faultEnvelope as soap11Fault } from '../../soap/faults.ts';
import type { ProviderSettings, RmVersion } from './contracts.ts';
import { ORDER_OPERATIONS, type OrderOperation } from './contracts.ts';
import { SOAP12_CONTENT_TYPE, child, childText, el, envelope, faultEnvelope, faultHttpStatus, readEnvelope, type Fault, type ReadEnvelope } from './envelope.ts';
import { MEX_DIALECT_WSDL, MEX_GET_REQUEST, MEX_GET_RESPONSE, MEX_NS, ORDERS_NS, ORDERS_PATH, RM, SOAP11_NS, SOAP12_NS, WSA_ANONYMOUS, WSA_FAULT_ACTION, WSA_NS, opAction, rmAction } from './ns.ts';
import { runOperation } from './orders.ts';
import { mustUnderstand, offers, readAddressing, repeatedAddressingHeader, rmNote, rmVersionOf, understood } from './soap-headers.ts';
import { ordersWsdl } from './wsdl.ts';

export const DEFAULT_PROVIDER: ProviderSettings = { addressing: true, rm: 'both', empty: false };

/** What the provider tells the lab about one exchange (an endpoint note on the tapped connection). */
export interface ProviderNote {
  remotePort: number;
  text: string;
  title: string;
  ref: string;
  level: 'info' | 'warn' | 'error';
}

export interface ProviderOptions {
  /** The sandbox a tapped connection belongs to (by the tap's upstream port). */
  sandboxOf(remotePort: number): string;
  /** The public endpoint URL for a request's Host header (the tap's port, never the host's). */
  location(hostHeader: string | undefined): string;
  note(note: ProviderNote): void;
}

interface Sequence {
  version: RmVersion;
  received: Set<number>;
}

/** Per sandbox: the published settings, open sequences, orders. */
interface SandboxState {
  settings: ProviderSettings;
  sequences: Map<string, Sequence>;
  orders: Map<string, { item: string; quantity: number; status: string }>;
}

const MAX_SEQUENCES = 200;
const MAX_MESSAGES_PER_SEQUENCE = 10_000;

/** One answer: HTTP status, body (empty for 202), and the note the lab records. */
interface Answer {
  status: number;
  body: string;
  note?: Omit<ProviderNote, 'remotePort'>;
}

/** The Orders provider: settings and state per sandbox, and the host's request handler. */
export class OrdersProvider {
  private readonly sandboxes = new Map<string, SandboxState>();

  constructor(private readonly options: ProviderOptions) {}

  private state(sandbox: string): SandboxState {
    let state = this.sandboxes.get(sandbox);
    if (!state) {
      state = { settings: { ...DEFAULT_PROVIDER }, sequences: new Map(), orders: new Map() };
      this.sandboxes.set(sandbox, state);
    }
    return state;
  }

  /** Drops the settings, open sequences and orders of a sandbox that expired. */
  forget(sandbox: string): void {
    this.sandboxes.delete(sandbox);
  }

  settings(sandbox: string): ProviderSettings {
    return { ...this.state(sandbox).settings };
  }

  /** Changes the published policy live; open sequences of a version no longer offered are forgotten. */
  configure(sandbox: string, change: Partial<ProviderSettings>): ProviderSettings {
    const state = this.state(sandbox);
    state.settings = { ...state.settings, ...change };
    for (const [id, seq] of state.sequences) if (!offers(state.settings, seq.version)) state.sequences.delete(id);
    return { ...state.settings };
  }

  wsdl(sandbox: string, location: string): string {
    return ordersWsdl(this.state(sandbox).settings, location);
  }

  /** The host's handler for ORDERS_PATH (servers/soap mountService). */
  readonly handle = (req: IncomingMessage, res: ServerResponse, remotePort: number): void => {
    const sandbox = this.options.sandboxOf(remotePort);
    const url = new URL(req.url ?? '/', 'http://service.invalid');
    if (req.method === 'GET' || req.method === 'HEAD') {
      req.resume();
      if (url.search.toLowerCase().startsWith('?wsdl')) {
        const wsdl = this.wsdl(sandbox, this.options.location(req.headers.host));
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(wsdl) });
        res.end(req.method === 'HEAD' ? undefined : wsdl);
        return;
      }
      return plain(res, 200, `Orders service (SOAP 1.2, WS-Addressing, WS-RM). POST envelopes here; the WSDL with its WS-Policy is at ${ORDERS_PATH}?wsdl, or ask with WS-MetadataExchange GetMetadata.`);
    }
    if (req.method !== 'POST') {
      req.resume();
      return plain(res, 405, `${req.method} is not used by SOAP: POST envelopes, GET ?wsdl.`, { Allow: 'GET, HEAD, POST' });
    }
    const tooLarge = `The request body is larger than ${MAX_XML_BYTES} bytes.`;
    // Read to its end before refusing, so the 413 reaches a client that is still sending (the shared limiter).
    readBytes(req, MAX_XML_BYTES, tooLarge, { readToEnd: true }).then(
      (body) => this.reply(res, remotePort, this.answer(sandbox, body.toString('utf8'), header(req, 'content-type'))),
      (err: unknown) => {
        if (err instanceof HttpError && err.status === 413) this.reply(res, remotePort, fault({ code: 'Sender', reason: tooLarge }, { status: 413 }));
        // A client that left mid-body: nobody to answer.
        else res.destroy();
      },
    );
  };

  /** Sends an answer (and its note for the endpoint view). */
  private reply(res: ServerResponse, remotePort: number, answer: Answer): void {
    if (answer.note) this.options.note({ remotePort, ...answer.note });
    if (answer.status === 202) {
      res.writeHead(202, { 'Content-Length': '0' });
      res.end();
      return;
    }
    const contentType = answer.body.includes(SOAP11_NS) && !answer.body.includes(SOAP12_NS) ? 'text/xml; charset=utf-8' : SOAP12_CONTENT_TYPE;
    res.writeHead(answer.status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  }

  /** Answers one POSTed envelope under the sandbox's current policy. */
  answer(sandbox: string, xml: string, contentType: string | undefined): Answer {
    // SOAP 1.2 Part 2 §7.5.2.1 (table 18): an unsupported message encapsulation is 415. text/xml goes on to be read:
    // a SOAP 1.1 envelope in it gets SOAP 1.1's VersionMismatch below; anything else in it is refused after reading.
    const mediaVersion = versionOfMediaType(contentType);
    if (!mediaVersion) return wrongMediaType(contentType);
    const read = readEnvelope(xml);
    if (!read.ok) {
      return fault({ code: 'Sender', reason: read.doctype ? 'DTDs are not allowed in SOAP messages (SOAP 1.2 Part 1 §5).' : `The request is not well-formed XML: ${read.error}` });
    }
    const env = read.value;
    if (env.root.local !== 'Envelope' || (env.root.ns !== SOAP12_NS && env.root.ns !== SOAP11_NS)) {
      // SOAP 1.2 Part 1 §5.4.7: a VersionMismatch fault SHOULD name the envelopes this node supports.
      return fault({ code: 'VersionMismatch', reason: `The root element is ${env.root.name}, not a SOAP 1.2 Envelope.`, headers: ['<soap:Upgrade><soap:SupportedEnvelope qname="soap:Envelope"/></soap:Upgrade>'] });
    }
    if (env.root.ns === SOAP11_NS) {
      // SOAP 1.2 Part 2 §7.5.1 / Part 1 §5.4.7: a SOAP 1.1 envelope gets a 1.1 VersionMismatch fault.
      return { status: 500, body: soap11Fault('1.1', { cls: 'VersionMismatch', reason: 'The Orders service speaks SOAP 1.2 only (application/soap+xml).', upgrade: true }), note: noteOf('VersionMismatch', 'A SOAP 1.1 envelope reached a SOAP 1.2-only binding.', 'SOAP 1.2 Part 1 §5.4.7') };
    }
    if (mediaVersion !== '1.2') return wrongMediaType(contentType);
    const state = this.state(sandbox);
    const settings = state.settings;
    const wsa = readAddressing(env, contentType);
    const replyHeaders = (action: string) => (wsa.messageId ? [el('wsa:Action', action), el('wsa:RelatesTo', wsa.messageId), el('wsa:MessageID', `urn:uuid:${randomUUID()}`)] : []);
    const withRelates = (f: Fault, action: string): Fault => ({ ...f, headers: [...replyHeaders(action), ...(f.headers ?? [])] });

    const notUnderstood = env.headers.filter((h) => mustUnderstand(h) && !understood(h, settings));
    if (notUnderstood.length) {
      const names = notUnderstood.map((h) => `{${h.ns ?? ''}}${h.local}`).join(', ');
      return fault(
        {
          code: 'MustUnderstand',
          reason: `Header blocks marked mustUnderstand that this endpoint does not process: ${names}.`,
          headers: notUnderstood.map((h) => `<soap:NotUnderstood qname="nu:${h.local}" xmlns:nu="${escapeAttr(h.ns ?? '')}"/>`),
        },
        { note: noteOf('MustUnderstand', `Not understood: ${names}${rmNote(notUnderstood, settings)}`, 'SOAP 1.2 Part 1 §5.4.8') },
      );
    }

    // "A recipient MUST generate a wsa:InvalidAddressingHeader fault" for a repeated header, which populates nothing:
    // a repeated MessageID gives the fault no RelatesTo.
    const repeated = repeatedAddressingHeader(env);
    if (repeated) {
      const invalid: Fault = {
        code: 'Sender',
        subcode: { prefix: 'wsa', local: 'InvalidAddressingHeader' },
        subsubcode: { prefix: 'wsa', local: 'InvalidCardinality' },
        reason: 'A header representing a Message Addressing Property is not valid and the message cannot be processed',
        detail: `<wsa:ProblemHeaderQName>wsa:${repeated}</wsa:ProblemHeaderQName>`,
      };
      return fault(repeated === 'MessageID' ? { ...invalid, headers: [el('wsa:Action', WSA_FAULT_ACTION)] } : withRelates(invalid, WSA_FAULT_ACTION), {
        note: noteOf('InvalidCardinality', `The request carries wsa:${repeated} more than once; each of wsa:To, ReplyTo, FaultTo, Action and MessageID may appear once.`, 'WS-Addressing 1.0 SOAP Binding §3.2.2, §6.4.1.3', 'error'),
      });
    }

    // WS-MetadataExchange: answered whatever the policy says (the client needs the policy to learn it).
    if (wsa.action === MEX_GET_REQUEST || (env.body?.ns === MEX_NS && env.body.local === 'GetMetadata')) {
      const wsdl = ordersWsdl(settings, this.options.location(undefined)).replace(/^<\?xml[^>]*\?>/, '');
      const body = `<mex:Metadata><mex:MetadataSection Dialect="${MEX_DIALECT_WSDL}" Identifier="${ORDERS_NS}">${wsdl}</mex:MetadataSection></mex:Metadata>`;
      return { status: 200, body: envelope(replyHeaders(MEX_GET_RESPONSE), body), note: noteOf('GetMetadata', 'Answered with the WSDL, its policies inline, as one MetadataSection.', 'WS-MetadataExchange (2004/09) §6') };
    }

    if (settings.empty) {
      return fault(withRelates({ code: 'Receiver', subcode: { prefix: 'ord', local: 'NoPolicyAlternative' }, reason: 'This endpoint publishes an empty wsp:ExactlyOne: no policy alternative, so no request can be accepted.' }, WSA_FAULT_ACTION), {
        note: noteOf('No acceptable configuration', 'The published policy has no alternative (WS-Policy 1.5 Framework §4.3.3: an empty ExactlyOne admits no behaviour).', 'WS-Policy 1.5 Framework §4.3.3', 'error'),
      });
    }

    if (settings.addressing) {
      const missing = !wsa.actionHeader ? 'wsa:Action' : !wsa.messageId ? 'wsa:MessageID' : undefined;
      if (missing) {
        return fault(
          withRelates({
            code: 'Sender',
            subcode: { prefix: 'wsa', local: 'MessageAddressingHeaderRequired' },
            reason: 'A required header representing a Message Addressing Property is not present',
            detail: `<wsa:ProblemHeaderQName>${missing}</wsa:ProblemHeaderQName>`,
            // With a MessageID, withRelates adds the fault's wsa:Action (and RelatesTo) itself.
            ...(!wsa.messageId && { headers: [el('wsa:Action', WSA_FAULT_ACTION)] }),
          }, WSA_FAULT_ACTION),
          { note: noteOf('MessageAddressingHeaderRequired', `The policy requires WS-Addressing (wsam:Addressing at wsdl:port) and the request lacks ${missing}.`, 'WS-Addressing 1.0 SOAP Binding §6.4.2', 'error') },
        );
      }
      if (wsa.replyTo !== undefined && wsa.replyTo !== WSA_ANONYMOUS) {
        return fault(
          withRelates({
            code: 'Sender',
            subcode: { prefix: 'wsa', local: 'InvalidAddressingHeader' },
            subsubcode: { prefix: 'wsa', local: 'OnlyAnonymousAddressSupported' },
            reason: 'A header representing a Message Addressing Property is not valid and the message cannot be processed',
            detail: `<wsa:ProblemHeaderQName>wsa:ReplyTo</wsa:ProblemHeaderQName>`,
          }, WSA_FAULT_ACTION),
          { note: noteOf('OnlyAnonymousAddressSupported', 'The policy says wsam:AnonymousResponses: responses go back on the HTTP response, so wsa:ReplyTo must be anonymous.', 'WS-Addressing 1.0 SOAP Binding §6.4.1.7; WS-Addressing Metadata §3.1.2', 'error') },
        );
      }
    }

    const action = wsa.action ?? (env.body?.ns === ORDERS_NS ? opAction(env.body.local) : undefined);
    for (const version of ['1.1', '1.0'] as const) {
      if (action === rmAction(version, 'CreateSequence') && offers(settings, version)) return this.createSequence(state, version, env, replyHeaders);
      if (action === rmAction(version, 'TerminateSequence') && offers(settings, version)) return this.terminateSequence(state, version, env, replyHeaders);
    }
    const operation = ORDER_OPERATIONS.find((op) => opAction(op) === action);
    if (!operation) {
      return fault(
        withRelates({
          code: 'Sender',
          subcode: { prefix: 'wsa', local: 'ActionNotSupported' },
          reason: `The ${action ?? '(missing)'} cannot be processed at the receiver`,
          detail: `<wsa:ProblemAction>${el('wsa:Action', action ?? '')}</wsa:ProblemAction>`,
        }, WSA_FAULT_ACTION),
        { note: noteOf('ActionNotSupported', `No message of this endpoint's current policy has the action ${action ?? '(none)'}${rmVersionOf(action) ? ` (an RM ${rmVersionOf(action)} message, and RM ${rmVersionOf(action)} is not offered now)` : ''}.`, 'WS-Addressing 1.0 SOAP Binding §6.4.4', 'error') },
      );
    }
    if (env.body?.ns !== ORDERS_NS || env.body.local !== operation) {
      return fault(withRelates({ code: 'Sender', subcode: { prefix: 'ord', local: 'BodyMismatch' }, reason: `The action names ${operation}, but the body is ${env.body?.name ?? 'empty'}.` }, WSA_FAULT_ACTION));
    }

    const ack: string[] = [];
    if (settings.rm !== 'none') {
      const seq = this.sequenceOf(state, env);
      if ('fault' in seq) return seq.fault;
      ack.push(seq.ack);
    }
    const result = runOperation(state.orders, operation, env.body);
    if ('fault' in result) return fault(withRelates({ code: 'Sender', subcode: { prefix: 'ord', local: result.fault.subcode }, reason: result.fault.reason }, WSA_FAULT_ACTION));
    return { status: 200, body: envelope([...replyHeaders(opAction(operation, true)), ...ack], result.body) };
  }

  private createSequence(state: SandboxState, version: RmVersion, env: ReadEnvelope, replyHeaders: (action: string) => string[]): Answer {
    const ns = RM[version].ns;
    const p = version === '1.1' ? 'wsrm' : 'wsrm10';
    const acksTo = childText(child(env.body, ns, 'AcksTo'), WSA_NS, 'Address');
    if (env.body?.ns !== ns || env.body.local !== 'CreateSequence' || acksTo === undefined) {
      return fault({ code: 'Sender', subcode: { prefix: p, local: 'CreateSequenceRefused' }, reason: `A ${RM[version].spec} CreateSequence needs a ${p}:CreateSequence body with an AcksTo endpoint reference.`, headers: replyHeaders(`${ns}/fault`) });
    }
    if (state.sequences.size >= MAX_SEQUENCES) state.sequences.delete(state.sequences.keys().next().value ?? '');
    const id = `urn:uuid:${randomUUID()}`;
    state.sequences.set(id, { version, received: new Set() });
    return {
      status: 200,
      body: envelope(replyHeaders(rmAction(version, 'CreateSequenceResponse')), `<${p}:CreateSequenceResponse>${el(`${p}:Identifier`, id)}</${p}:CreateSequenceResponse>`),
      note: noteOf(`CreateSequence (RM ${version})`, `Sequence ${id} created in ${RM[version].spec}.`, `${RM[version].spec} §3.4`),
    };
  }

  private terminateSequence(state: SandboxState, version: RmVersion, env: ReadEnvelope, replyHeaders: (action: string) => string[]): Answer {
    const ns = RM[version].ns;
    const p = version === '1.1' ? 'wsrm' : 'wsrm10';
    const id = childText(env.body, ns, 'Identifier') ?? '';
    const seq = state.sequences.get(id);
    if (!seq || seq.version !== version) return unknownSequence(version, id, replyHeaders);
    state.sequences.delete(id);
    // RM 1.0 TerminateSequence is one-way (§3.5): the HTTP response carries no envelope.
    if (version === '1.0') return { status: 202, body: '', note: noteOf('TerminateSequence (RM 1.0)', `Sequence ${id} terminated; RM 1.0 has no TerminateSequenceResponse.`, 'WS-ReliableMessaging 1.0 (2005/02) §3.5') };
    return {
      status: 200,
      body: envelope(replyHeaders(rmAction('1.1', 'TerminateSequenceResponse')), `<wsrm:TerminateSequenceResponse>${el('wsrm:Identifier', id)}</wsrm:TerminateSequenceResponse>`),
      note: noteOf('TerminateSequence (RM 1.1)', `Sequence ${id} terminated.`, 'WS-ReliableMessaging 1.1 §3.6'),
    };
  }

  /** The application message's Sequence header in an offered version: its acknowledgement, or the fault. */
  private sequenceOf(state: SandboxState, env: ReadEnvelope): { ack: string } | { fault: Answer } {
    const settings = state.settings;
    for (const version of ['1.1', '1.0'] as const) {
      const header = env.headers.find((h) => h.ns === RM[version].ns && h.local === 'Sequence');
      if (!header || !offers(settings, version)) continue;
      const ns = RM[version].ns;
      const id = childText(header, ns, 'Identifier') ?? '';
      const seq = state.sequences.get(id);
      if (!seq || seq.version !== version) return { fault: unknownSequence(version, id, () => []) };
      const number = Number(childText(header, ns, 'MessageNumber'));
      if (!Number.isInteger(number) || number < 1 || number > MAX_MESSAGES_PER_SEQUENCE) {
        return { fault: fault({ code: 'Sender', subcode: { prefix: 'ord', local: 'InvalidMessageNumber' }, reason: `MessageNumber must be an integer from 1 to ${MAX_MESSAGES_PER_SEQUENCE} here.` }) };
      }
      seq.received.add(number);
      const p = version === '1.1' ? 'wsrm' : 'wsrm10';
      const ranges = ackRanges(seq.received).map(([lo, hi]) => `<${p}:AcknowledgementRange Lower="${lo}" Upper="${hi}"/>`).join('');
      return { ack: `<${p}:SequenceAcknowledgement>${el(`${p}:Identifier`, id)}${ranges}</${p}:SequenceAcknowledgement>` };
    }
    if (offers(settings, '1.1')) {
      return {
        fault: fault(
          { code: 'Sender', subcode: { prefix: 'wsrm', local: 'WSRMRequired' }, reason: 'The RM Destination requires the use of WSRM', headers: [el('wsa:Action', `${RM['1.1'].ns}/fault`)] },
          { note: noteOf('WSRMRequired', 'The policy requires WS-RM (wsrmp:RMAssertion at wsdl:binding) and the request is not part of a sequence.', 'WS-ReliableMessaging 1.1 §4.9', 'error') },
        ),
      };
    }
    return {
      fault: fault(
        { code: 'Sender', subcode: { prefix: 'ord', local: 'SequenceRequired' }, reason: 'This endpoint requires WS-ReliableMessaging 1.0 (2005/02): create a sequence first. RM 1.0 defines no WSRMRequired fault.' },
        { note: noteOf('Sequence required (RM 1.0)', 'RM 1.0 is required and the request is outside a sequence; RM 1.0 has no fault for this, so the service names its own.', 'WS-ReliableMessaging 1.0 (2005/02) §4', 'error') },
      ),
    };
  }
}

/** True when the settings publish an RM alternative in `version`. */

function unknownSequence(version: RmVersion, id: string, replyHeaders: (action: string) => string[]): Answer {
  const p = version === '1.1' ? 'wsrm' : 'wsrm10';
  return fault(
    { code: 'Sender', subcode: { prefix: p, local: 'UnknownSequence' }, reason: 'The value of wsrm:Identifier is not a known Sequence identifier', detail: el(`${p}:Identifier`, id), headers: replyHeaders(`${RM[version].ns}/fault`) },
    { note: noteOf('UnknownSequence', `No open ${RM[version].spec} sequence ${id}.`, version === '1.1' ? 'WS-ReliableMessaging 1.1 §4.4' : 'WS-ReliableMessaging 1.0 (2005/02) §4.2', 'error') },
  );
}

function fault(f: Fault, extra: { status?: number; note?: Answer['note'] } = {}): Answer {
  return { status: extra.status ?? faultHttpStatus(f), body: faultEnvelope(f), ...(extra.note && { note: extra.note }) };
}

/** A request whose Content-Type is not SOAP 1.2's: 415 with a Sender fault saying which type to send. */
function wrongMediaType(contentType: string | undefined): Answer {
  const sent = contentType ? `"${contentType.split(';')[0].trim()}"` : '(none)';
  return fault(
    { code: 'Sender', reason: `The Content-Type ${sent} is not SOAP 1.2's: the Orders service reads envelopes sent as application/soap+xml.` },
    { status: 415, note: noteOf('Unsupported media type', `The request came as ${sent}; the SOAP 1.2 HTTP binding carries envelopes as application/soap+xml.`, 'SOAP 1.2 Part 2 §7.5.2.1', 'error') },
  );
}

const noteOf = (title: string, text: string, ref: string, level: ProviderNote['level'] = 'info'): Answer['note'] => ({ title, text, ref, level });

/** Merges received message numbers into [lower, upper] ranges (RM 1.1 §3.9 AcknowledgementRange). */
export function ackRanges(received: ReadonlySet<number>): [number, number][] {
  const sorted = [...received].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const n of sorted) {
    const last = ranges.at(-1);
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

export type { OrderOperation };
