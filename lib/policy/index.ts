/**
 * WS-Policy for the lab: parse, normalize, merge, intersect, select, and the WSDL 1.1 policy subjects. No
 * JavaScript library implements WS-Policy, so this is our own, after the W3C texts and Apache Neethi (see model.ts).
 */
export * from './model.ts';
export { collectPolicies, parsePolicy, policyFromElement, readPolicyXml, referenceFromElement, type ParsedPolicy } from './parse.ts';
export { alternativeKey, assertionKey, merge, normalize, samePolicy, toExpression, type NormalizeOptions } from './normalize.ts';
export {
  compareAlternatives,
  compatiblePolicies,
  intersect,
  type AlternativeComparison,
  type AssertionMismatch,
  type Intersection,
  type IntersectionMode,
  type PairComparison,
} from './intersect.ts';
export { RM_VERSIONS_NEWEST_FIRST, WSAM_NS, WSRMP_11_NS, WSRM_10_NS, alternativeNames, assertionPaths, isEmptyPolicy, pickLatest, type Pick } from './select.ts';
export {
  WSDL11_NS,
  wsdlPolicies,
  type Attachment,
  type PolicySubject,
  type SubjectKind,
  type WsdlEndpoint,
  type WsdlMessage,
  type WsdlOperation,
  type WsdlPolicies,
  type WsdlService,
} from './wsdl.ts';
