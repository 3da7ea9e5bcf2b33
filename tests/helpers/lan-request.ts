import http from 'node:http';

/** What a LAN request answered. */
export interface LanReply {
  status: number;
  body: string;
  setCookie: string | undefined;
}

/**
 * A request from "another machine" on a classroom LAN played on a second loopback address: sent
 * from `lan` to the test daemon's API (which listens on 127.0.0.1), naming the lab by `lan` in Host
 * (and Origin for a body). `headers` adds or overrides (a cookie, a teacher's token, a foreign Host).
 */
export function lanRequest(lan: string, webPort: number, method: string, pathname: string, headers: Record<string, string> = {}, body?: unknown): Promise<LanReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: webPort,
        localAddress: lan,
        method,
        path: pathname,
        agent: false,
        headers: { host: `${lan}:${webPort}`, ...(body === undefined ? {} : { 'content-type': 'application/json', origin: `http://${lan}:${webPort}` }), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, setCookie: res.headers['set-cookie']?.[0] }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
