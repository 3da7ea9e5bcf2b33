/**
 * The hand-off registry: every child dissector a carrier may hand a payload to. A new child
 * (WS-Policy assertions in a SOAP header, ZMTP in an SSH direct-tcpip channel) is one line here.
 */
import type { HandoffRegistry } from './kit/handoff.ts';
import { soapEnvelopeHandoff } from './soap/handoff.ts';

/** Children in the order carriers ask them. */
export const HANDOFFS: HandoffRegistry = [soapEnvelopeHandoff];
