/**
 * One process, one port: the lab daemon (/api/* and the /ws WebSocket) and the Next.js UI
 * (everything else). `npm start` builds the UI first, then runs this file.
 */
import http from 'node:http';
import next from 'next';
import { printBanner } from './servers/daemon/banner.ts';
import { loadConfig } from './servers/daemon/config.ts';
import { startDaemon } from './servers/daemon/daemon.ts';
import { allowedHostNames, hostNameOf, NO_FRAMING_HEADERS } from './lib/http/host-guard.ts';

const dev = process.env.LAB_DEV === '1';
const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
})();

const daemon = await startDaemon(config).catch((err: Error) => {
  console.error(`Protocol Lab could not start: ${err.message}`);
  process.exit(1);
});

const allowedHosts = allowedHostNames(config);
// Next attaches its own 'upgrade' listener to the server of the first request it handles
// (setupWebSocketHandler in next/dist/server/next.js); since /[lab] is a dynamic route it then
// answers /ws too and ends the socket the hub just took. Hand it a server that never listens:
// the handler below forwards every other upgrade to Next itself.
const app = next({ dev, hostname: config.host, port: config.webPort, httpServer: http.createServer() });
const handleNext = app.getRequestHandler();
await app.prepare();
const handleNextUpgrade = app.getUpgradeHandler();

const server = http.createServer((req, res) => {
  for (const [name, value] of Object.entries(NO_FRAMING_HEADERS)) res.setHeader(name, value);
  // DNS rebinding: a page served under a foreign name must not reach the UI or the API.
  if (daemon.refuseForeignHost(req, res)) return;
  daemon
    .handleApi(req, res)
    .then((handled) => (handled ? undefined : handleNext(req, res)))
    .catch((err: Error) => {
      console.error('[http]', err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
});
server.on('upgrade', (req, socket, head) => {
  if (req.url === '/ws' || req.url?.startsWith('/ws?')) daemon.handleUpgrade(req, socket, head);
  // Next's dev server needs its own upgrades (hot reload); the same Host rule applies.
  else if (allowedHosts.has(hostNameOf(req.headers.host) ?? '')) void handleNextUpgrade(req, socket, head);
  else socket.destroy();
});
server.on('error', (err: NodeJS.ErrnoException) => {
  const hint = err.code === 'EADDRINUSE' ? `port ${config.webPort} is already in use — set PORT to another port` : err.message;
  console.error(`Protocol Lab could not start the web server: ${hint}`);
  void daemon.stop().then(() => process.exit(1));
});
server.listen(config.webPort, config.host, () => printBanner(daemon, 'web'));

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  void daemon.stop().finally(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
