/**
 * The SOAP lab's dissector: HTTP/1.1 on the service host's tap, with every XML body handed to
 * the envelope annotator. Both directions share the list of requests awaiting a response
 * (a response to HEAD has no body). Pure and incremental, like every dissector here.
 */
import type { DissectedMessage, Dissector, HalfCloseDissector, StreamDir } from '../types.ts';
import { HttpDirectionParser, type HttpConnectionState, type HttpFlavour } from './http.ts';

export { annotateSoapEnvelope, describeEnvelope } from './envelope.ts';

/** Builds the dissector for one connection to the service host. */
export function createSoapDissector(): Dissector {
  return createHttpDissector('soap');
}

/**
 * The same HTTP dissector for a JSON/REST service host (the access-control lab): XML bodies are still
 * read as SOAP, but status lines and headers are explained as a REST API uses them.
 */
export function createHttpApiDissector(): Dissector {
  return createHttpDissector('api');
}

function createHttpDissector(flavour: HttpFlavour): HalfCloseDissector {
  const shared: HttpConnectionState = { pendingMethods: [] };
  const parsers: Record<StreamDir, HttpDirectionParser> = {
    client: new HttpDirectionParser('client', shared, flavour),
    server: new HttpDirectionParser('server', shared, flavour),
  };
  return {
    push(dir: StreamDir, chunk: Uint8Array): DissectedMessage[] {
      return parsers[dir].push(chunk);
    },
    // A response without a length ends where its sender half-closes (RFC 9112 §6.3): frame it then, not
    // when the other side closes too (step mode would hold its bytes, and the client wait for them, for good).
    endOf(dir: StreamDir): DissectedMessage[] {
      return parsers[dir].end();
    },
    end(): DissectedMessage[] {
      return [...parsers.client.end(), ...parsers.server.end()];
    },
  };
}
