/**
 * The lab's policy-driven web-service client, one per sandbox, in the daemon. It fetches the provider's policy
 * (GET ?wsdl or WS-MEX GetMetadata) through the SOAP lab's tap — so every exchange is in the SOAP transcript,
 * owned by the calling browser — computes the effective policy (compute.ts), caches it in memory with where it
 * came from and when, and shapes requests by it: WS-Addressing headers, an RM sequence in the chosen version
 * (CreateSequence, the call with a Sequence header, TerminateSequence). The refresh flow is the seed's, without
 * its slip (its catch block rethrows the first exception even after a successful retry): a policy fault sets
 * refreshProviderPolicy, the client re-fetches, recomputes and retries once; a second failure stops, saying why.
 */
import { randomUUID } from 'node:crypto';
import { attribute, childElements, type XmlElement } from '../../../lib/protocols/soap/xml.ts';
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
import type { RawExchange } from '../../soap/lab/http-client.ts';
import type { CallReply, Chosen, ClientSettings, Computation, LadderRow, OrderOperation, PolicyState } from './contracts.ts';
import { computeEffective } from './compute.ts';
import { SOAP12_CONTENT_TYPE, child, childText, el, envelope, readEnvelope, readFault, wsaHeaders } from './envelope.ts';
import { MEX_DIALECT_WSDL, MEX_GET_REQUEST, MEX_NS, ORDERS_NS, ORDERS_PATH, RM, WSA_NS, opAction, rmAction } from './ns.ts';
import { ORDER_FIELDS } from './wsdl.ts';

export const DEFAULT_CLIENT: ClientSettings = { addressing: true, rm: ['1.1', '1.0'], mtom: false, logging: false, mode: 'lax', via: 'get', dispatch: false };

/** What the client needs from the lab: send HTTP through the tap, and the public endpoint. */
export interface ClientEnv {
  send(request: string, owner: ConnectionOwner): Promise<RawExchange>;
  /** `127.0.0.1:8080`: the SOAP lab's public address. */
  publicHost(): string;
}

/** Faults a stale policy explains: the client refreshes and retries once on these (by subcode local name). */
const POLICY_FAULTS = new Set(['MessageAddressingHeaderRequired', 'InvalidAddressingHeader', 'ActionNotSupported', 'WSRMRequired', 'SequenceRequired', 'UnknownSequence', 'CreateSequenceRefused', 'NoPolicyAlternative']);

const MAX_LADDER = 200;

/** Names the lab's client on the wire, so a lesson tells its fetch from one made with curl (RFC 9110 §10.1.5). */
export const CLIENT_AGENT = 'Protocol-Lab-WS-Policy-client';

interface Cache {
  via: 'get' | 'mex';
  url: string;
  fetchedAt: number;
  /** The provider's WSDL as fetched (text, or the element a MEX reply carried), kept to recompute when the client's settings change. */
  wsdl: string | XmlElement;
  conn: string | null;
}

/** One sandbox's client: settings, cached provider policy and computation, ladder. */
export class PolicyClient {
  settings: ClientSettings = { ...DEFAULT_CLIENT, rm: [...DEFAULT_CLIENT.rm] };
  private cache: Cache | null = null;
  computation: Computation | null = null;
  /** The seed's com.ibm.websphere.wspolicy.refreshProviderPolicy. */
  refresh = false;
  ladder: LadderRow[] = [];
  private lastOrderId: string | undefined;

  constructor(private readonly env: ClientEnv) {}

  get endpoint(): string {
    return `http://${this.env.publicHost()}${ORDERS_PATH}`;
  }

  cacheState(): PolicyState['cache'] {
    return this.cache ? { cached: true, via: this.cache.via, url: this.cache.url, fetchedAt: this.cache.fetchedAt, refresh: this.refresh } : { cached: false, refresh: this.refresh };
  }

  /** Changes the client's policy set; the cached provider policy is recomputed against it (no fetch). */
  configure(change: Partial<ClientSettings>): void {
    this.settings = { ...this.settings, ...change, ...(change.rm && { rm: [...new Set(change.rm)] }) };
    if (this.cache) this.computation = computeEffective(this.cache.wsdl, this.settings, { via: this.cache.via, fetchedAt: this.cache.fetchedAt, conn: this.cache.conn });
  }

  private rung(row: Omit<LadderRow, 'at'>, added: LadderRow[]): void {
    const full = { at: Date.now(), ...row };
    added.push(full);
    this.ladder.push(full);
    if (this.ladder.length > MAX_LADDER) this.ladder.splice(0, this.ladder.length - MAX_LADDER);
  }

  /** Fetches the provider policy now (GET or MEX), recomputes, clears the refresh flag. */
  async fetch(owner: ConnectionOwner, via: 'get' | 'mex' = this.settings.via, added: LadderRow[] = []): Promise<Computation> {
    const fetchedAt = Date.now();
    const { exchange, wsdl, error } = via === 'get' ? await this.fetchByGet(owner) : await this.fetchByMex(owner);
    this.refresh = false;
    const meta = { via, fetchedAt, conn: exchange.conn };
    if (wsdl === undefined) {
      this.cache = null;
      this.computation = { ...meta, subjects: [], client: [], operations: [], error: error ?? 'No WSDL in the answer.' };
      this.rung({ kind: 'error', text: `Fetching the policy by ${via === 'get' ? 'GET ?wsdl' : 'WS-MEX GetMetadata'} failed: ${this.computation.error}`, conn: exchange.conn, status: exchange.status }, added);
      return this.computation;
    }
    this.cache = { via, url: via === 'get' ? `${this.endpoint}?wsdl` : this.endpoint, fetchedAt, wsdl, conn: exchange.conn };
    this.computation = computeEffective(wsdl, this.settings, meta);
    this.rung({ kind: 'fetch', text: via === 'get' ? `GET ${ORDERS_PATH}?wsdl → ${exchange.status}; effective policy computed` : `GetMetadata → ${exchange.status}; WSDL from mex:MetadataSection; effective policy computed`, conn: exchange.conn, status: exchange.status }, added);
    return this.computation;
  }

  private async fetchByGet(owner: ConnectionOwner): Promise<{ exchange: RawExchange; wsdl?: string | XmlElement; error?: string }> {
    const exchange = await this.env.send(`GET ${ORDERS_PATH}?wsdl HTTP/1.1\r\nHost: ${this.env.publicHost()}\r\nUser-Agent: ${CLIENT_AGENT}\r\nAccept: text/xml\r\nConnection: close\r\n\r\n`, owner);
    const { status, body } = split(exchange);
    if (status !== 200) return { exchange, error: exchange.error ?? `GET ?wsdl answered ${status || 'nothing'}.` };
    return { exchange, wsdl: body };
  }

  private async fetchByMex(owner: ConnectionOwner): Promise<{ exchange: RawExchange; wsdl?: string | XmlElement; error?: string }> {
    const request = envelope(wsaHeaders({ action: MEX_GET_REQUEST, to: this.endpoint, messageId: `urn:uuid:${randomUUID()}` }), `<mex:GetMetadata><mex:Dialect>${MEX_DIALECT_WSDL}</mex:Dialect></mex:GetMetadata>`);
    const exchange = await this.env.send(post(this.env.publicHost(), MEX_GET_REQUEST, request), owner);
    const { status, body } = split(exchange);
    const read = readEnvelope(body);
    if (!read.ok) return { exchange, error: exchange.error ?? `GetMetadata answered ${status || 'nothing'}: ${read.error}` };
    const fault = readFault(read.value);
    if (fault) return { exchange, error: `GetMetadata answered a fault: ${fault.subcode ?? fault.code}: ${fault.reason}` };
    const metadata = read.value.body;
    const section = metadata?.ns === MEX_NS && metadata.local === 'Metadata' ? childElements(metadata).find((c) => c.ns === MEX_NS && c.local === 'MetadataSection' && attribute(c, 'Dialect') === MEX_DIALECT_WSDL) : undefined;
    const definitions = section ? childElements(section)[0] : undefined;
    if (!definitions) return { exchange, error: 'The answer has no mex:Metadata/mex:MetadataSection (Dialect WSDL) with a document in it.' };
    // The section's wsdl:definitions element, already read safely (its prefixes are declared on it).
    return { exchange, wsdl: definitions };
  }

  state(): Pick<PolicyState, 'client' | 'cache' | 'computation' | 'ladder'> {
    return { client: this.settings, cache: this.cacheState(), computation: this.computation, ladder: this.ladder };
  }

  /** Calls `operation` with the effective policy; on a policy fault refreshes, recomputes and retries once. */
  async call(owner: ConnectionOwner, operation: OrderOperation, args: Record<string, string>, retry = true): Promise<Omit<CallReply, 'state'>> {
    const added: LadderRow[] = [];
    if (!this.cache || this.refresh) await this.fetch(owner, this.settings.via, added);
    const first = this.plan(operation);
    if ('stopped' in first) return this.stop(first.stopped, added);
    const attempt = await this.attempt(owner, operation, args, first.chosen, added);
    if (attempt.ok || !attempt.policyFault || !retry) return { ok: attempt.ok, ...(attempt.result !== undefined && { result: attempt.result }), ...(!attempt.ok && { stopped: attempt.why }), ladder: added };

    // The seed's refresh: set the flag, re-issue; the re-issue fetches and recomputes first.
    this.refresh = true;
    this.rung({ kind: 'refresh', text: `Policy fault (${attempt.why}): refreshProviderPolicy set; re-fetching the provider policy by ${this.settings.via === 'get' ? 'GET ?wsdl' : 'GetMetadata'}.`, conn: null }, added);
    await this.fetch(owner, this.settings.via, added);
    const second = this.plan(operation);
    if ('stopped' in second) return this.stop(`After the refresh: ${second.stopped}`, added);
    this.rung({ kind: 'retry', text: `Retrying ${operation} once with the recomputed policy (${describe(second.chosen)}).`, conn: null }, added);
    const again = await this.attempt(owner, operation, args, second.chosen, added);
    if (again.ok) return { ok: true, ...(again.result !== undefined && { result: again.result }), ladder: added };
    return this.stop(`The retry failed too (${again.why}); the client stops rather than loop.`, added);
  }

  private stop(why: string, added: LadderRow[]): Omit<CallReply, 'state'> {
    this.rung({ kind: 'stop', text: why, conn: null }, added);
    return { ok: false, stopped: why, ladder: added };
  }

  /** The chosen alternative for `operation`, or why there is none. */
  private plan(operation: OrderOperation): { chosen: Chosen } | { stopped: string } {
    const c = this.computation;
    if (!c) return { stopped: 'No provider policy: fetch it first.' };
    if (c.error) return { stopped: c.error };
    if (c.dispatchError) return { stopped: c.dispatchError };
    const op = c.operations.find((o) => o.operation === operation);
    if (!op) return { stopped: `The provider's WSDL has no operation ${operation}.` };
    if (!op.chosen) return { stopped: op.error ?? `No compatible alternative for ${operation}.` };
    return { chosen: op.chosen };
  }

  /** One try: (CreateSequence), the call, (TerminateSequence). */
  private async attempt(owner: ConnectionOwner, operation: OrderOperation, args: Record<string, string>, chosen: Chosen, added: LadderRow[]): Promise<{ ok: boolean; result?: string; policyFault?: boolean; why?: string }> {
    const host = this.env.publicHost();
    // WS-RM rides on WS-Addressing (RM 1.1 §2; RM 1.0 §2.1): with RM the headers go out even if Addressing was not asked for.
    const addressing = chosen.addressing || chosen.rm !== null;
    const headersFor = (action: string) => (addressing ? wsaHeaders({ action, to: this.endpoint, messageId: `urn:uuid:${randomUUID()}` }) : []);
    const exchange = async (kind: LadderRow['kind'], action: string, headers: string[], body: string, label: string) => {
      const ex = await this.env.send(post(host, action, envelope(headers, body)), owner);
      const { status, body: text } = split(ex);
      const read = readEnvelope(text);
      const fault = read.ok ? readFault(read.value) : undefined;
      this.rung({ kind: fault ? 'fault' : kind, text: fault ? `${label} → ${status} fault ${fault.subcode ?? fault.code}: ${fault.reason}` : `${label} → ${status || ex.error || 'no answer'}`, conn: ex.conn, status, ...(fault && { fault }) }, added);
      return { status, read, fault, error: ex.error };
    };
    const failed = (fault: { code: string; subcode?: string; reason: string } | undefined, status: number, error?: string) => {
      const local = (fault?.subcode ?? '').split('/')[0].split(':').pop() ?? '';
      const policyFault = fault !== undefined && (POLICY_FAULTS.has(local) || /MustUnderstand$/.test(fault.code));
      return { ok: false, policyFault, why: fault ? `${fault.subcode ?? fault.code}: ${fault.reason}` : `HTTP ${status || error || 'no answer'}` };
    };

    let sequence: string | undefined;
    const v = chosen.rm;
    if (v) {
      const p = v === '1.1' ? 'wsrm' : 'wsrm10';
      const cs = await exchange('create-sequence', rmAction(v, 'CreateSequence'), headersFor(rmAction(v, 'CreateSequence')), `<${p}:CreateSequence><${p}:AcksTo><wsa:Address>${WSA_NS}/anonymous</wsa:Address></${p}:AcksTo></${p}:CreateSequence>`, `CreateSequence (RM ${v})`);
      sequence = cs.read.ok ? childText(child(cs.read.value.body, RM[v].ns, 'CreateSequenceResponse') ?? cs.read.value.body, RM[v].ns, 'Identifier') : undefined;
      if (cs.fault || !sequence) return failed(cs.fault, cs.status, cs.error);
    }
    const fields = ORDER_FIELDS[operation].input.map(([name]) => el(`ord:${name}`, args[name] ?? defaultArg(name, this.lastOrderId)));
    const seqHeader = v && sequence ? [`<${v === '1.1' ? 'wsrm' : 'wsrm10'}:Sequence soap:mustUnderstand="true">${el(`${v === '1.1' ? 'wsrm' : 'wsrm10'}:Identifier`, sequence)}${el(`${v === '1.1' ? 'wsrm' : 'wsrm10'}:MessageNumber`, 1)}</${v === '1.1' ? 'wsrm' : 'wsrm10'}:Sequence>`] : [];
    const call = await exchange('call', opAction(operation), [...headersFor(opAction(operation)), ...seqHeader], `<ord:${operation}>${fields.join('')}</ord:${operation}>`, `${operation}${v ? ` (RM ${v}, message 1)` : ''}`);
    const response = call.read.ok ? call.read.value.body : undefined;
    const ok = !call.fault && response?.ns === ORDERS_NS && response.local === `${operation}Response`;
    const result = ok && response ? response.children.flatMap((c) => (c.type === 'element' ? [`${c.local}=${childText(response, ORDERS_NS, c.local) ?? ''}`] : [])).join(' ') : undefined;
    if (ok && operation === 'placeOrder') this.lastOrderId = childText(response, ORDERS_NS, 'orderId');
    if (v && sequence) {
      const p = v === '1.1' ? 'wsrm' : 'wsrm10';
      await exchange('terminate-sequence', rmAction(v, 'TerminateSequence'), headersFor(rmAction(v, 'TerminateSequence')), `<${p}:TerminateSequence>${el(`${p}:Identifier`, sequence)}${v === '1.1' ? el('wsrm:LastMsgNumber', 1) : ''}</${p}:TerminateSequence>`, `TerminateSequence (RM ${v})`);
    }
    if (!ok) return failed(call.fault, call.status, call.error);
    return { ok: true, ...(result !== undefined && { result }) };
  }
}

const describe = (c: Chosen): string => c.assertions.join(' + ') || 'no assertions';

function defaultArg(name: string, lastOrderId: string | undefined): string {
  if (name === 'item') return 'widget';
  if (name === 'quantity') return '1';
  return lastOrderId ?? 'ORD-none';
}

/** A SOAP 1.2 POST to the Orders endpoint (action in the media type, SOAP 1.2 Part 2 §7.1.4). */
function post(host: string, action: string, body: string): string {
  return `POST ${ORDERS_PATH} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${CLIENT_AGENT}\r\nContent-Type: ${SOAP12_CONTENT_TYPE}; action="${action}"\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Status and body of a raw HTTP/1.1 response (Content-Length bodies: what the host sends). */
function split(ex: RawExchange): { status: number; body: string } {
  const at = ex.response.indexOf('\r\n\r\n');
  return { status: ex.status, body: at < 0 ? '' : ex.response.slice(at + 4) };
}
