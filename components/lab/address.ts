/**
 * The address the lab's recipes and own-client tabs name, written the way each client expects it.
 * GET /api/lab answers it as `host` (LAB_HOST, or on a classroom LAN bind the address the browser
 * used); it may come bare (`::1`, from LAB_HOST) or bracketed (`[::1]`, from a Host header).
 */

/** Where the lab listens unless LAB_HOST says otherwise: what the pages name until /api/lab answers. */
export const DEFAULT_HOST = '127.0.0.1';

/** The address a page's recipes name: GET /api/lab's `host`, or 127.0.0.1 until it answers. */
export const labHost = (info: { host: string } | null | undefined): string => info?.host ?? DEFAULT_HOST;

/** The address without brackets, as ssh, sftp, ssh-keyscan and host fields of GUI clients take it. */
export const bareHost = (host: string): string => host.replace(/^\[(.*)\]$/, '$1');

/** The address as it stands before `:port` or in a URL: an IPv6 literal in brackets, as URLs write it. */
export function urlHost(host: string): string {
  const bare = bareHost(host);
  return bare.includes(':') ? `[${bare}]` : bare;
}

/** `host:port` as clients write it: `127.0.0.1:2525`, `[::1]:2525`. */
export const hostPort = (host: string, port: number): string => `${urlHost(host)}:${port}`;

/** `http://host:port` + path: a service URL on the address clients reach. */
export const httpUrl = (host: string, port: number, path = ''): string => `http://${hostPort(host, port)}${path}`;

/**
 * A URL a lab's info() reports (built on LAB_HOST), moved to the address this browser's clients
 * reach, keeping its port, path and query: `http://127.0.0.1:8080/soap/orders?wsdl` → `http://[::1]:8080/soap/orders?wsdl`.
 */
export function atHost(url: string, host: string): string {
  // scheme://, then the host (an IPv6 literal in brackets, or up to the port or path), then the rest as it was.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)(\[[^\]]*\]|[^/:?#]*)/i, (_, scheme: string) => `${scheme}${urlHost(host)}`);
}
