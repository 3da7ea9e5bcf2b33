/** A ZMTP golden transcript (recorded by tests/golden/zmtp-record.ts through lib/wire/recording-relay.ts). */
import type { RecordedChunk } from '../../wire/recording-relay.ts';

/** The shared golden format plus, for CURVE, the server's key pair (Z85). */
export interface ZmtpGolden {
  protocol: 'zmq';
  description: string;
  recorded: string;
  serverPublicKey?: string;
  serverSecretKey?: string;
  chunks: RecordedChunk[];
}
