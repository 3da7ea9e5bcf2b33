/**
 * The endpoint view: once AUTH TLS has encrypted a control connection, the tap sees only TLS
 * records, so the transcript carries on from ftp-srv's own log (commands and replies as the server
 * handled them), run through the same dissector in endpoint mode.
 */
import { ftpAnnotation } from '../../../lib/protocols/ftp/annotate.ts';
import { lookupFtpCommand } from '../../../lib/protocols/ftp/commands.ts';
import { createFtpDissector } from '../../../lib/protocols/ftp/dissector.ts';
import type { Dissector } from '../../../lib/protocols/types.ts';
import { EndpointBindings, type UpstreamLookup } from '../../../lib/wire/endpoint-binding.ts';
import type { RunningFtpServer } from '../index.ts';
import { counted } from '../../../lib/text/numbers.ts';

const encoder = new TextEncoder();

/**
 * Subscribes to the server's events and writes endpoint-view messages to the control connection's
 * recorder, bound when the session starts (`tapped` is `tap.byUpstreamPort`): the server may still
 * handle commands the client pipelined after the tap let go of the connection. `onTransfer` hears
 * every transfer command (to label its data connection).
 */
export function attachEndpointView(server: RunningFtpServer, tapped: UpstreamLookup, onTransfer: (sessionId: string, command: string) => void): void {
  const sessions = new EndpointBindings<string, Dissector>(tapped);
  const { events } = server;
  const feed = (sessionId: string, dir: 'client' | 'server', line: string) =>
    sessions.get(sessionId)?.record((d) => d.push(dir, encoder.encode(`${line}\r\n`)));
  events.on('session', ({ sessionId, remotePort }) => sessions.bind(sessionId, remotePort));
  events.on('closed', ({ sessionId }) => sessions.release(sessionId));
  // The lab holds the server side of AUTH TLS: keep the session's key log with the control connection.
  events.on('keylog', ({ sessionId, line }) => sessions.get(sessionId)?.recorder.keylog(line));
  events.on('secure', ({ sessionId, protocol, cipher }) => {
    const session = sessions.get(sessionId);
    if (!session) return;
    session.decodeWith(createFtpDissector({ endpoint: true }));
    session.recorder.record(
      {
        dir: 'note',
        kind: 'note',
        text: `TLS established (${protocol ?? 'TLS'}, ${cipher}). The wire now shows only TLS records; the lines below are what the server decrypted.`,
        bytes: 0,
        annotation: ftpAnnotation('ftp.note.endpoint-view', 'RFC 4217 §4'),
        phase: 'tls',
      },
      'endpoint',
    );
  });
  events.on('command', ({ sessionId, directive, arg }) => {
    const line = arg === null ? directive : `${directive} ${arg}`;
    if (lookupFtpCommand(directive).transfer) onTransfer(sessionId, line);
    feed(sessionId, 'client', line);
  });
  events.on('reply', ({ sessionId, text }) => feed(sessionId, 'server', text));
  events.on('discarded', ({ sessionId, verbs, bytes }) => {
    const count = counted(verbs.length, 'command');
    // Wire view: the eavesdropper saw these lines cross, and must learn that they did nothing.
    sessions.get(sessionId)?.recorder.note(
      `The server discarded ${count} (${verbs.join(', ')}; ${bytes} bytes) sent in cleartext right after AUTH TLS: they were never run.`,
      ftpAnnotation('ftp.note.auth-discarded', 'RFC 4217 §4', 'warn'),
    );
  });
  events.on('limit', ({ sessionId, reason, detail }) => {
    sessions.get(sessionId)?.recorder.note(`${detail}: the server closes this control connection (421).`, ftpAnnotation(`ftp.note.${reason}`, 'RFC 959 §4.2.2', 'warn'));
  });
}
