import type { RequestContext } from '../http/router.js';
import type { Sandbox } from './sandbox.js';

/** Server-sent events: one `change` whenever the workspace changes; the page then reloads its view. */
export function sandboxStream(sandbox: Sandbox, { req, res }: RequestContext): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write('retry: 1000\n\n');
  // Several changes in one tick (a message and its topic) make one notice.
  let pending = false;
  const onChange = () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      res.write('event: change\ndata: {}\n\n');
    });
  };
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const end = () => {
    clearInterval(keepAlive);
    sandbox.changes.off('change', onChange);
    sandbox.changes.off('stop', end);
    res.end();
  };
  sandbox.changes.on('change', onChange);
  sandbox.changes.on('stop', end);
  req.on('close', end);
}
