/**
 * The FTP lab's API client, one function per route of servers/ftp/lab/contracts.ts (shapes taken
 * from the contracts, replies parsed by their schemas).
 */
import type { z } from 'zod';
import { ApiError, browserHeaders, callRoute, linkUrl, parseReply, routeUrl, type ReplyOf } from '@/lib/http/contract.ts';
import { ftpContracts as c, type ClientEntrySchema, type TransferQuery } from '@/servers/ftp/lab/contracts.ts';
import type { ComparisonRow } from '@/servers/ftp/lab/compare.ts';

export type { ComparisonRow };

/** GET /api/ftp/status. */
export type FtpStatus = ReplyOf<typeof c.status>;

/** The `ftp` key of GET /api/lab, as the FTP lab's info() declares it. */
export type { FtpInfo } from '@/servers/ftp/lab.ts';

/** POST /api/ftp/compare. */
export type Comparison = ReplyOf<typeof c.compare>;
/** GET /api/ftp/transfers/:id. */
export type TransferState = ReplyOf<typeof c.transfer>;
/** POST /api/ftp/upload. */
export type UploadResult = ReplyOf<typeof c.upload>;
/** POST /api/ftp/client. */
export type ClientReply = ReplyOf<typeof c.client>;
export type ClientAction = z.input<typeof c.client.body>['action'];
/** One entry of the friendly client's `ls`. */
export type ClientEntry = z.infer<typeof ClientEntrySchema>;
/** Which file and how: plain FTP or FTPS, passive or active ('1'/'0'). */
export type TransferArgs = z.input<typeof TransferQuery>;

/** The FTP lab's API, one function per route. */
export const ftpApi = {
  status: () => callRoute(c.status),
  firewall: (enabled: boolean) => callRoute(c.firewall, { body: { enabled } }),
  client: (body: z.input<typeof c.client.body>) => callRoute(c.client, { body }),
  /** Ends an API-held session; `keepalive` so it still goes out while the page unloads. */
  closeClient: (session: string) => callRoute(c.client, { body: { session, action: 'close' }, keepalive: true }),
  transfer: (id: string) => callRoute(c.transfer, { params: { id } }),
  compare: (bytes: number) => callRoute(c.compare, { body: { bytes } }),
  downloadUrl: (query: TransferArgs) => linkUrl(c.download, { query }),
  /** Uploads through XMLHttpRequest, so the browser → lab leg reports real progress (fetch has no upload progress). */
  upload: (query: z.input<typeof c.upload.query>, file: Blob, onProgress: (sent: number) => void): Promise<UploadResult> =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(c.upload.method, routeUrl(c.upload, { query }));
      // The lab takes uploads only as application/octet-stream (a type other sites cannot send unasked).
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      for (const [name, value] of Object.entries(browserHeaders())) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => {
        try {
          resolve(parseReply(c.upload, xhr.status, xhr.statusText, xhr.responseText));
        } catch (err) {
          reject(err);
        }
      };
      xhr.onerror = () => reject(new ApiError(0, 'Upload failed: the lab did not answer.'));
      xhr.send(file);
    }),
};
