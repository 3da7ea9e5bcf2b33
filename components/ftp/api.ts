/** Shapes of the /api/ftp/… routes; those the daemon declares are imported from it (types only). */
import type { ComparisonRow } from '@/servers/ftp/lab/compare.ts';
import type { Transfer } from '@/servers/ftp/lab/routes.ts';

export type { ComparisonRow };

/** GET /api/ftp/status and POST /api/ftp/firewall. */
export interface FtpStatus {
  firewall: boolean;
  port: number;
  passiveRange: { min: number; max: number } | null;
  maxFileBytes: number;
}

/** The `ftp` key of GET /api/lab, as the FTP lab's info() declares it. */
export type { FtpInfo } from '@/servers/ftp/lab.ts';

/** POST /api/ftp/compare. */
export interface Comparison {
  bytes: number;
  rows: ComparisonRow[];
}

/** GET /api/ftp/transfers/:id. */
export type TransferState = Transfer;

/** POST /api/ftp/upload. */
export interface UploadResult {
  transfer: string;
  conn: string | null;
  bytes: number;
  ms: number;
}

/** POST /api/ftp/client (action ls). */
export interface ClientReply<T> {
  ok: boolean;
  conn: string | null;
  log: string[];
  result?: T;
  error?: string;
}
