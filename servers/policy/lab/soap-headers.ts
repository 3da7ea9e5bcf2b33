/**
 * How the Orders provider reads a request's SOAP header blocks: its WS-Addressing properties (SOAP
 * Binding §6.4), mustUnderstand (SOAP 1.2 Part 1 §5.4.8), and which WS-ReliableMessaging version
 * the headers speak against what the published policy offers (RM 1.1 §3–4, RM 1.0 §3–4).
 */
import { textContent } from '../../../lib/protocols/soap/xml.ts';
import type { ProviderSettings, RmVersion } from './contracts.ts';
import { childText, type ReadEnvelope } from './envelope.ts';
import { RM, SOAP12_NS, WSA_NS } from './ns.ts';

/** Whether the provider's settings offer an RM version now (an empty policy offers none). */
export const offers = (settings: ProviderSettings, version: RmVersion): boolean => !settings.empty && (settings.rm === 'both' || settings.rm === version);

export interface Addressing {
  action?: string;
  actionHeader: boolean;
  messageId?: string;
  replyTo?: string;
}

export function readAddressing(env: ReadEnvelope, contentType: string | undefined): Addressing {
  const h = (local: string) => env.headers.find((x) => x.ns === WSA_NS && x.local === local);
  const text = (local: string) => {
    const found = h(local);
    return found ? textContent(found).trim() : undefined;
  };
  const actionHeader = text('Action');
  // SOAP 1.2's action media-type parameter stands in when WS-Addressing is absent.
  const param = /;\s*action\s*=\s*"?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  const replyTo = h('ReplyTo');
  return {
    action: actionHeader || param,
    actionHeader: Boolean(actionHeader),
    messageId: text('MessageID') || undefined,
    ...(replyTo && { replyTo: childText(replyTo, WSA_NS, 'Address') ?? '' }),
  };
}

/** The message addressing headers a message may carry once each (WS-Addressing 1.0 SOAP Binding §3.2.2). */
const ONCE_ONLY = ['To', 'ReplyTo', 'FaultTo', 'Action', 'MessageID'] as const;

/** The first of ONCE_ONLY the message carries more than once (zeep's plugin on top of its own wsam:Action handling sends each twice). */
export function repeatedAddressingHeader(env: ReadEnvelope): (typeof ONCE_ONLY)[number] | undefined {
  return ONCE_ONLY.find((local) => env.headers.filter((h) => h.ns === WSA_NS && h.local === local).length > 1);
}

/** The roles this endpoint (the ultimate receiver) plays; a block without a role is for the ultimate receiver (SOAP 1.2 Part 1 §2.2). */
const OWN_ROLES = [`${SOAP12_NS}/role/next`, `${SOAP12_NS}/role/ultimateReceiver`];

/** A mandatory block targeted at this endpoint: one for role none or another node is not ours to understand (SOAP 1.2 Part 1 §2.4). */
export function mustUnderstand(h: { attrs: { local: string; ns: string | undefined; value: string }[] }): boolean {
  const v = h.attrs.find((a) => a.local === 'mustUnderstand' && a.ns === SOAP12_NS)?.value.trim();
  const role = h.attrs.find((a) => a.local === 'role' && a.ns === SOAP12_NS)?.value.trim();
  return (v === 'true' || v === '1') && (role === undefined || OWN_ROLES.includes(role));
}

/** Header blocks this endpoint processes: WS-Addressing always, RM headers of a version it offers now. */
export function understood(h: { ns: string | undefined }, settings: ProviderSettings): boolean {
  if (h.ns === WSA_NS) return true;
  if (h.ns === RM['1.1'].ns) return offers(settings, '1.1');
  if (h.ns === RM['1.0'].ns) return offers(settings, '1.0');
  return false;
}

export function rmNote(headers: { ns: string | undefined }[], settings: ProviderSettings): string {
  const v = headers.find((h) => h.ns === RM['1.0'].ns) ? '1.0' : headers.find((h) => h.ns === RM['1.1'].ns) ? '1.1' : undefined;
  return v ? ` (RM ${v} headers; the policy offers ${settings.rm === 'none' ? 'no RM' : `RM ${settings.rm}`} now)` : '';
}

export function rmVersionOf(action: string | undefined): RmVersion | undefined {
  if (action?.startsWith(`${RM['1.1'].ns}/`)) return '1.1';
  if (action?.startsWith(`${RM['1.0'].ns}/`)) return '1.0';
  return undefined;
}
