import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ACCEPTS_SESSION_COOKIE, IS_PUBLIC, ROLES_KEY } from '../../apps/api/src/auth/auth.decorators';
import type { Role } from '../../apps/api/src/auth/token';
import type { TestApp } from './test-app';

/** One route as the Nest router has it, with the access metadata the global guard reads. */
export interface Route {
  readonly method: string;
  /** OpenAPI style: `/tickets/{id}/history`. */
  readonly path: string;
  readonly roles: readonly Role[];
  readonly isPublic: boolean;
  readonly acceptsSessionCookie: boolean;
  readonly params: readonly string[];
}

/** Every controller route of the running app, from the same metadata Nest routes by and the guard checks. */
export function routeTable(t: Pick<TestApp, 'app'>): Route[] {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const proto = controller.prototype as Record<string, object>;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name]!;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const meta = <T>(key: string): T | undefined =>
          (Reflect.getMetadata(key, handler) as T | undefined) ??
          (Reflect.getMetadata(key, controller) as T | undefined);
        const full = `/${[base, path]
          .map((p) => p.replace(/^\/+|\/+$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod],
          path: full.replace(/:(\w+)/g, '{$1}'),
          roles: meta<Role[]>(ROLES_KEY) ?? [],
          isPublic: meta<boolean>(IS_PUBLIC) ?? false,
          acceptsSessionCookie: meta<boolean>(ACCEPTS_SESSION_COOKIE) ?? false,
          params: [...full.matchAll(/:(\w+)/g)].map((m) => m[1]!),
        });
      }
    }
  }
  return routes;
}

/** The operations of an OpenAPI document as `METHOD /path` keys (`POST /tickets/{id}/escalate`). */
export function operationKeys(doc: { readonly paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
