/**
 * The API of bench/review-api.ts in a process of its own, as `docq serve` runs it: the clients'
 * requests and the server's answers do not share one event loop, and the server's CPU time is its own
 * (/proc/<pid>/stat). Prints `listening <url>` when ready; ends on SIGTERM.
 *
 *   npx tsx bench/review-api-server.ts <mongodb uri> <redis url> <image cache dir>
 */
import { buildApi } from '../api/build-api.js';
import { connectModels } from '../models/index.js';
import { createExtractQueue } from '../queue/index.js';

const [uri, redisUrl, cacheDir] = process.argv.slice(2);
if (!uri || !redisUrl || !cacheDir) throw new Error('usage: review-api-server <mongodb uri> <redis url> <cache dir>');
const db = await connectModels({ uri, dbName: 'bench' });
const queue = createExtractQueue({ url: redisUrl });
const app = buildApi({ models: db.models, queue, images: { cacheDir } });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await queue.close();
    await db.close();
    process.exit(0);
  })();
});
