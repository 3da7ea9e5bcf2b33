/**
 * The SOAP lab's scripted fault (issue 13): soap.receiver-fault. Armed, the next call to the
 * Calendar service (per sandbox or one connection, `times` calls) is answered with a Receiver fault
 * (SOAP 1.2; soap:Server in 1.1), HTTP 500, instead of running the operation: the request was fine,
 * the service could not process it now (SOAP 1.2 Part 1 §5.4.6). The connection's transcript gets an
 * injected note naming the rule; the fault envelope itself is on the wire for the dissector to read.
 */
import type { FaultActions, FaultEngine } from '../../lib/faults/engine.ts';
import { faultAnnotation, injectedMark } from '../../lib/faults/injected.ts';
import { SOAP_VERSIONS, versionOfMediaType } from '../../lib/protocols/soap/versions.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import type { SoapAnswer, SoapRequest } from './dispatch.ts';
import { faultEnvelope, faultStatus, type FaultSpec } from './faults.ts';

const RULE = 'soap.receiver-fault';

export function soapScriptedFaults(deps: { faults: FaultEngine; tap: () => Tap | undefined }): {
  actions: Record<string, FaultActions>;
  /** The service host asks before dispatching a call: a scripted answer, or null to run the service. */
  beforeDispatch(remotePort: number, request: SoapRequest): SoapAnswer | null;
} {
  return {
    actions: { [RULE]: {} },
    beforeDispatch(remotePort, request) {
      const recorder = deps.tap()?.byUpstreamPort(remotePort)?.recorder;
      if (!recorder) return null;
      const fired = deps.faults.fire(RULE, { sandbox: recorder.info.sandbox, conn: recorder.info.id });
      if (!fired) return null;
      const rule = deps.faults.rule(RULE);
      const version = versionOfMediaType(request.contentType) ?? '1.1';
      const spec: FaultSpec = { cls: 'Server', reason: 'The service cannot process this call now; the same request may succeed later.' };
      const code = `soap:${SOAP_VERSIONS[version].faultCodes.Server}`;
      if (rule) {
        recorder.record(
          { dir: 'note', kind: 'note', text: `The lab answers this call with a ${code} fault instead of running the service.`, bytes: 0, annotation: faultAnnotation(rule), injected: injectedMark(rule) },
          'endpoint',
        );
      }
      return {
        status: faultStatus(version, spec),
        contentType: `${SOAP_VERSIONS[version].mediaType}; charset=utf-8`,
        body: faultEnvelope(version, spec),
        version,
        fault: { cls: 'Server', code, reason: spec.reason },
        refused: false,
        delayMs: 0,
        strippedSecurityHeader: false,
      };
    },
  };
}
