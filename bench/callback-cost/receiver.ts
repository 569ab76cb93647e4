import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// Child of bench/callback-cost/run.ts: answers every request 204 once its body is read, as an API
// that records a status callback would.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(204).end());
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`));
