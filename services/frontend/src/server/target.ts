/**
 * The request target as a URL, or undefined when it is not an origin-form
 * path a URL parser accepts (`GET //[`, `GET /\[`, `GET *`): those are
 * answered 400 before any routing, never parsed where a throw could escape.
 */
export function parseTarget(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/')) return undefined;
  return URL.parse(target, 'http://frontend') ?? undefined;
}
