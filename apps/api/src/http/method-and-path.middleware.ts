import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import type { Application, NextFunction, Request, Response } from 'express';

interface KnownRoute {
  readonly pattern: RegExp;
  readonly params: readonly string[];
  readonly methods: Set<string>;
}

interface RouterLayer {
  readonly route?: { readonly path: unknown; readonly methods: Readonly<Record<string, boolean>> };
}

/** The routes Nest registered on Express, grouped by path (read once, after the app is initialised). */
function knownRoutes(app: Application): KnownRoute[] {
  const stack = (app as unknown as { router?: { stack?: RouterLayer[] } }).router?.stack ?? [];
  const byPath = new Map<string, KnownRoute>();
  for (const layer of stack) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string') continue;
    let known = byPath.get(route.path);
    if (!known) {
      const params: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          params.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      known = { pattern: new RegExp(`^${source}/?$`), params, methods: new Set() };
      byPath.set(route.path, known);
    }
    for (const [method, on] of Object.entries(route.methods)) if (on) known.methods.add(method.toUpperCase());
  }
  return [...byPath.values()];
}

/**
 * Before routing: a path parameter that is not valid percent-encoded UTF-8 (`/partners/%ff`) is a 400 naming that
 * parameter, and a known path asked with a method it does not serve is a 405 with `Allow` (instead of 404).
 */
export function methodAndPathMiddleware(app: Application) {
  let routes: KnownRoute[] | undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    routes ??= knownRoutes(app);
    const matching: { route: KnownRoute; values: string[] }[] = [];
    for (const route of routes) {
      const m = route.pattern.exec(req.path);
      if (m) matching.push({ route, values: m.slice(1) });
    }
    if (matching.length === 0) return next();
    for (const { route, values } of matching)
      values.forEach((raw, i) => {
        try {
          decodeURIComponent(raw);
        } catch {
          const field = route.params[i] ?? 'path';
          throw new BadRequestException({
            code: 'validation_failed',
            field,
            message: `${field}: not valid percent-encoded UTF-8`,
          });
        }
      });
    const allowed = new Set(matching.flatMap(({ route }) => [...route.methods]));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (req.method === 'OPTIONS' || allowed.has(req.method)) return next();
    const allow = [...allowed].sort().join(', ');
    res.setHeader('Allow', allow);
    throw new HttpException(
      { code: 'method_not_allowed', message: `${req.method} is not allowed here; allowed: ${allow}` },
      HttpStatus.METHOD_NOT_ALLOWED,
    );
  };
}
