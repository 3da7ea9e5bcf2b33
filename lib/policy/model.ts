/**
 * The WS-Policy data model: a policy expression as parsed (operators, assertions, references) and its normal
 * form (a list of alternatives, each a list of assertions), plus the error values every function here returns
 * instead of throwing. WS-Policy 1.5 Framework §3 defines the model, §4.1 the normal form, §4.3 the compact form.
 *
 * No JavaScript library implements WS-Policy (the npm registry has none; the `soap` package ignores policy), so
 * this module is our own, written from the W3C texts and after the way Apache Neethi normalizes, merges and
 * intersects (with its caps on alternatives and work). Pure data: everything here is JSON-serializable.
 */

/** WS-Policy 1.5 (W3C Recommendation, 2007). */
export const WSP15_NS = 'http://www.w3.org/ns/ws-policy';
/** WS-Policy 1.2 (W3C Member Submission, 2006), still common in WSDLs from that era. */
export const WSP12_NS = 'http://schemas.xmlsoap.org/ws/2004/09/policy';
/** The OASIS WS-Security utility namespace, whose `wsu:Id` names a policy in its document (WS-Policy 1.5 Framework §4.2). */
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
/** The `xml:` namespace (`xml:id`). */
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** True for either WS-Policy namespace. */
export const isPolicyNs = (ns: string | undefined): boolean => ns === WSP15_NS || ns === WSP12_NS;

/** An expanded name: namespace URI ('' when unqualified) and local name. Prefixes are not semantic. */
export interface QName {
  ns: string;
  local: string;
}

/** A QName as one comparable string in Clark notation: `{ns}local`. */
export const qnameKey = (q: QName): string => `{${q.ns}}${q.local}`;

/** An attribute of an assertion or parameter, by expanded name. */
export interface PolicyAttribute {
  ns: string;
  local: string;
  value: string;
}

/** An assertion parameter (WS-Policy 1.5 Framework §3.1): a child element kept as data, opaque to intersection. */
export interface PolicyParameter {
  name: QName;
  attributes: PolicyAttribute[];
  /** The element's own character data, trimmed. */
  text: string;
  children: PolicyParameter[];
}

/** `wsp:Policy`, `wsp:All` or `wsp:ExactlyOne` (WS-Policy 1.5 Framework §4.3.3). */
export interface PolicyOperator {
  kind: 'Policy' | 'All' | 'ExactlyOne';
  children: PolicyNode[];
  /** `wsu:Id` or `xml:id` of a `wsp:Policy` (§4.2). */
  id?: string;
  /** The `Name` IRI of a `wsp:Policy` (§4.2). */
  name?: string;
}

/** A policy assertion in compact form: `wsp:Optional` still present, nested policy not yet normalized. */
export interface PolicyAssertion {
  kind: 'assertion';
  name: QName;
  /** Attributes other than namespace declarations, `wsp:Optional` and `wsp:Ignorable`. */
  attributes: PolicyAttribute[];
  parameters: PolicyParameter[];
  optional: boolean;
  ignorable: boolean;
  /** The nested `wsp:Policy` (§4.3.2), if any. */
  nested?: PolicyOperator;
}

/** `wsp:PolicyReference` (§4.3.4); included as a `wsp:All` of the referenced policy's children (§4.3.5). */
export interface PolicyReference {
  kind: 'reference';
  uri: string;
  digest?: string;
  digestAlgorithm?: string;
}

export type PolicyNode = PolicyOperator | PolicyAssertion | PolicyReference;

/** An assertion in normal form: no `wsp:Optional`, and a nested policy of exactly one alternative if any. */
export interface NormalAssertion {
  name: QName;
  attributes: PolicyAttribute[];
  parameters: PolicyParameter[];
  ignorable: boolean;
  /** The single alternative of the nested policy (§4.3.2: "each nested policy expression contains at most one"). */
  nested?: Alternative;
}

/** A policy alternative: an unordered collection of assertions, duplicates allowed (§3.2). */
export type Alternative = NormalAssertion[];

/** A policy in normal form (§4.1): its alternatives. None means no behaviour is admissible. */
export interface NormalPolicy {
  alternatives: Alternative[];
}

/** Policies of one document by `#id` (wsu:Id or xml:id) and by `Name` IRI, for reference resolution. */
export type PolicyRegistry = ReadonlyMap<string, PolicyOperator>;

export type PolicyErrorCode =
  | 'xml'
  | 'not-a-policy'
  | 'unknown-policy-element'
  | 'bad-boolean'
  | 'two-nested-policies'
  | 'missing-uri'
  | 'duplicate-id'
  | 'unresolved-reference'
  | 'circular-reference'
  | 'too-many-alternatives'
  | 'too-much-work'
  | 'too-deep'
  | 'wsdl';

/** Why a policy could not be read or computed, in words a student can act on. */
export interface PolicyError {
  code: PolicyErrorCode;
  message: string;
}

export type PolicyResult<T> = { ok: true; value: T } | { ok: false; error: PolicyError };

export const ok = <T>(value: T): PolicyResult<T> => ({ ok: true, value });
export const fail = <T = never>(code: PolicyErrorCode, message: string): PolicyResult<T> => ({ ok: false, error: { code, message } });

/**
 * Caps on the work one computation may do. An `wsp:All` of n two-way `wsp:ExactlyOne`s has 2ⁿ alternatives, and a
 * chain of references can repeat work; Neethi caps alternatives (10,000), reference expansions and materialized
 * components for the same reason. Ours are smaller: a lab policy has a handful of alternatives.
 */
export interface PolicyLimits {
  maxAlternatives: number;
  /** Assertion copies made while building alternatives, plus intersection comparisons. */
  maxWork: number;
  /** Operator, nested-policy and reference nesting. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: PolicyLimits = { maxAlternatives: 4096, maxWork: 1_000_000, maxDepth: 64 };

/** Thrown inside this module only and turned into a PolicyResult at each exported function. */
export class PolicyFailure extends Error {
  constructor(readonly code: PolicyErrorCode, message: string) {
    super(message);
  }
}

/** Runs `work`, turning a PolicyFailure (or a stack overflow) into an error value. */
export function attempt<T>(work: () => T): PolicyResult<T> {
  try {
    return ok(work());
  } catch (err) {
    if (err instanceof PolicyFailure) return fail(err.code, err.message);
    if (err instanceof RangeError) return fail('too-deep', 'The policy is nested too deeply to process.');
    throw err;
  }
}
