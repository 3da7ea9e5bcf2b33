/**
 * Builds annotations from table keys with the protocol kit's annotator: prose from text.en.ts,
 * reference from the caller's table row. Unknown keys still yield a usable annotation (the key as title).
 */
import type { Annotation, Level } from '../../wire/event.ts';
import { createAnnotator } from '../kit/prose.ts';
import { CHANNEL_OPEN_FAILURES, DISCONNECT_REASONS, MESSAGE_BY_NAME, reasonByCode } from './messages.ts';
import { SFTP_PACKET_BY_NAME, SFTP_STATUS_BY_CODE } from './sftp.ts';
import { TEXT } from './text.en.ts';

/** The SSH annotator: `annotate(key)` or `annotate({ key, ref, level })`. */
export const annotate = createAnnotator({ prose: TEXT });

/** Annotation for an SSH message by wire name (KEXINIT, USERAUTH_REQUEST…). */
export function messageAnnotation(name: string, level?: Level): Annotation {
  const row = MESSAGE_BY_NAME.get(name);
  return annotate({ key: row?.key ?? 'ssh.packet.unknown', ref: row?.ref, level });
}

/** Annotation for a DISCONNECT reason code. */
export function disconnectAnnotation(code: number): Annotation {
  const row = reasonByCode(DISCONNECT_REASONS, code);
  return annotate({ key: row?.key ?? 'ssh.msg.DISCONNECT', ref: row?.ref ?? 'RFC 4253 §11.1', level: code === 11 ? 'info' : 'warn' });
}

/** Annotation for a CHANNEL_OPEN_FAILURE reason code. */
export function openFailureAnnotation(code: number): Annotation {
  const row = reasonByCode(CHANNEL_OPEN_FAILURES, code);
  return annotate({ key: row?.key ?? 'ssh.msg.CHANNEL_OPEN_FAILURE', ref: row?.ref ?? 'RFC 4254 §5.1', level: 'warn' });
}

/** Annotation for an SFTP packet type by name. */
export function sftpAnnotation(name: string): Annotation {
  const row = SFTP_PACKET_BY_NAME.get(name);
  return annotate({ key: row?.key ?? 'sftp.pkt.EXTENDED', ref: row?.ref });
}

/** Annotation for an SFTP status code. */
export function sftpStatusAnnotation(code: number): Annotation {
  const row = SFTP_STATUS_BY_CODE.get(code);
  return annotate({ key: row?.key ?? 'sftp.status.FAILURE', ref: row?.ref ?? 'draft-ietf-secsh-filexfer-02 §7', level: row?.level ?? 'error' });
}

/** Name of a disconnect reason code ('BY_APPLICATION'), or the number. */
export function disconnectName(code: number): string {
  return reasonByCode(DISCONNECT_REASONS, code)?.name ?? String(code);
}
