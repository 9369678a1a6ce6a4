import type { Server } from 'node:http';
import { CRAWL_ALLOW_ENV } from '../../producers/safe-address.js';

/**
 * A crawl refuses loopback addresses; a test allows its own local server, by port, explicitly
 * (a redirect to another port or address stays refused). Inherited by the CLI processes tests spawn.
 */
export function allowTestServer(server: Server): void {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the test server is not listening');
  const entry = `127.0.0.1:${address.port}`;
  const current = process.env[CRAWL_ALLOW_ENV];
  process.env[CRAWL_ALLOW_ENV] = current === undefined || current === '' ? entry : `${current},${entry}`;
}
