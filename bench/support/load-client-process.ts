/**
 * Child-process entry of the load client: builds the payloads, runs one load level per
 * request from the parent (over the IPC channel) and sends the raw results back. Running
 * the client in its own process keeps its CPU apart from the bot's and makes it measurable.
 */
import { buildBodies, type LoadRequest } from './load-client.js';
import { runLoad } from './load-generator.js';

if (!process.send) throw new Error('load-client-process must be started with child_process.fork');

process.on('message', (message: { id: number; request: LoadRequest }) => {
  void (async () => {
    try {
      const { request } = message;
      const bodies = buildBodies(request);
      const result = await runLoad({
        url: request.url,
        path: request.path,
        concurrency: request.concurrency,
        maxRequests: request.maxRequests,
        maxMs: request.maxMs,
        warmupRequests: request.warmupRequests,
        bodies,
        onPhase: (phase) => process.send?.({ id: message.id, phase }),
      });
      process.send?.({ id: message.id, result });
    } catch (error) {
      process.send?.({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});

// The parent closing the channel (or dying) ends the client.
process.on('disconnect', () => process.exit(0));
