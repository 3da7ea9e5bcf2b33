/**
 * Headless daemon (`npm run daemon`): every lab server and the JSON/WebSocket API on PORT,
 * without the web UI. server.ts is the same daemon with Next mounted beside it.
 */
import http from 'node:http';
import { loadConfig } from './config.ts';
import { startDaemon } from './daemon.ts';
import { printBanner } from './banner.ts';

const config = loadConfig();
const daemon = await startDaemon(config).catch((err: Error) => {
  console.error(`Protocol Lab could not start: ${err.message}`);
  process.exit(1);
});
const server = http.createServer((req, res) => {
  if (daemon.refuseForeignHost(req, res)) return;
  void daemon.handleApi(req, res).then((handled) => {
    if (!handled) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Headless daemon: only /api/* and /ws are served here.\n');
    }
  });
});
server.on('upgrade', (req, socket, head) => {
  if (req.url?.startsWith('/ws')) daemon.handleUpgrade(req, socket, head);
  else socket.destroy();
});
server.listen(config.webPort, config.host, () => printBanner(daemon, 'daemon'));
const shutdown = () => {
  server.close();
  void daemon.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
