/** Shapes of the /api/ftp/… routes (see lib/daemon/labs/ftp/routes.ts). */

/** GET /api/ftp/status and POST /api/ftp/firewall. */
export interface FtpStatus {
  firewall: boolean;
  port: number;
  passiveRange: { min: number; max: number } | null;
  maxFileBytes: number;
}

/** The `ftp` key of GET /api/lab. */
export interface FtpInfo {
  port: number;
  passiveRange: { min: number; max: number } | null;
  passiveAddress: string;
  maxFileBytes: number;
  firewall: boolean;
}

/** One column of the FTPS-vs-SFTP table. */
export interface ComparisonRow {
  protocol: 'FTPS' | 'SFTP';
  ok: boolean;
  error?: string;
  tcpConnections: number;
  ports: string[];
  encrypted: string;
  auth: string;
  payloadBytes: number;
  bytesOnWire: number;
  ms: number;
  connections?: string[];
}

/** POST /api/ftp/compare. */
export interface Comparison {
  bytes: number;
  rows: ComparisonRow[];
}

/** GET /api/ftp/transfers/:id. */
export interface TransferState {
  id: string;
  direction: 'upload' | 'download';
  name: string;
  bytes: number;
  total: number | null;
  done: boolean;
  error: string | null;
  conn: string | null;
}

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
