import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  requestId: string;
  log: Logger;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  name: string;
  handler: Handler;
}

/** A small method + path router; `:name` segments become params. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:([a-zA-Z]+)/g, (_m, key: string) => (keys.push(key), '([^/]+)'))}/?$`);
    this.routes.push({ method, pattern, keys, name: path, handler });
    return this;
  }

  /** The route for a request, or why there is none. */
  find(method: string, pathname: string): { route: Route; params: Record<string, string> } | 'not_found' | 'method_not_allowed' {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeParam(match[i + 1] ?? '')]));
      return { route, params };
    }
    return pathMatched ? 'method_not_allowed' : 'not_found';
  }
}

/** A malformed escape (`%ZZ`) stays as it came and the route refuses it; a URIError here would escape every handler. */
function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
