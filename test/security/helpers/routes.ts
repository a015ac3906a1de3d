// The route table, taken from the running vault rather than written down: the OpenAPI paths plus
// fastify's own route tree (which also shows routes hidden from the document). A scenario that
// iterates this table cannot miss a route someone adds later.

import type { FastifyInstance } from 'fastify';
import { call } from './http';

export interface Route {
  method: string;
  /** OpenAPI style: /v1/secrets/{name} */
  path: string;
  params: string[];
  inOpenApi: boolean;
}

export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** Every registered route except the HEAD twins fastify adds for GET. */
export async function routeTable(base: string, app: FastifyInstance): Promise<Route[]> {
  const doc = await call(base, 'GET', '/v1/openapi.json');
  if (doc.status !== 200) throw new Error(`openapi.json: ${doc.status}`);
  const documented = new Set<string>();
  for (const [p, ops] of Object.entries(doc.json.paths as Record<string, object>)) {
    for (const m of Object.keys(ops)) documented.add(routeKey({ method: m.toUpperCase(), path: p }));
  }
  const registered = parseRouteTree(app.printRoutes({ commonPrefix: false }));
  const keys = new Set([...documented, ...registered]);
  return [...keys].sort().map((k) => {
    const [method, p] = k.split(' ') as [string, string];
    return { method, path: p, params: [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!), inOpenApi: documented.has(k) };
  });
}

/** Parses fastify's printRoutes() tree ("├── /v1/agents (GET, HEAD, POST)", children indented by 4). */
export function parseRouteTree(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const full = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = full;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      if (method === 'HEAD') continue;
      out.push(routeKey({ method, path: full.replace(/:(\w+)/g, '{$1}') }));
    }
  }
  return out;
}
