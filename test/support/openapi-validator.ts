import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Holds answers to the OpenAPI document the app serves: the status must be one the operation documents, the
 * content type the documented one (`application/json`, `application/problem+json` for errors, `text/plain`),
 * the body valid against the documented schema (ajv over the document's own components), and the documented
 * required headers present. test-app.ts runs it on every answer of the e2e client, so the document and the
 * API cannot drift apart without a test failing.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface MediaType {
  readonly schema?: Json;
}
interface ResponseObject {
  readonly headers?: Readonly<Record<string, { readonly required?: boolean }>>;
  readonly content?: Readonly<Record<string, MediaType>>;
}
interface Operation {
  readonly operationId?: string;
  readonly responses: Readonly<Record<string, ResponseObject | { readonly $ref: string }>>;
}
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components?: {
    readonly schemas?: Readonly<Record<string, Json>>;
    readonly responses?: Readonly<Record<string, ResponseObject>>;
  };
}

/** An answer as seen by the client. */
export interface Answer {
  readonly method: string;
  /** Path and query, or a full URL. */
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

export class ContractViolation extends Error {}

/** OpenAPI 3.0 `nullable: true` → JSON Schema (`anyOf` with null), everywhere in a schema. */
function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'nullable' || k === 'example' || k === 'examples') continue;
    out[k] = k === 'properties' ? mapValues(v, toJsonSchema) : toJsonSchema(v);
  }
  return schema.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}
const mapValues = (o: Json, f: (v: Json) => Json): Json =>
  o !== null && typeof o === 'object' && !Array.isArray(o)
    ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]))
    : o;

interface Template {
  readonly path: string;
  readonly pattern: RegExp;
  readonly literal: number;
}

export class OpenApiResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Template[];
  private readonly components: Json;

  constructor(private readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.components = toJsonSchema({ schemas: (doc.components?.schemas ?? {}) as Json });
    // The most literal template first: `/catalog/versions` before `/catalog/versions/{version}`.
    this.templates = Object.keys(doc.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(
          `^${path
            .split(/\{[^}]+\}/)
            .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}$`,
        ),
        literal: path.replace(/\{[^}]+\}/g, '').length,
      }))
      .sort((a, b) => b.literal - a.literal);
  }

  /** The documented operation of a request, if any (`METHOD /template`). */
  operationOf(method: string, url: string): { path: string; operation: Operation } | undefined {
    // Matched encoded: a path parameter is one segment whatever it decodes to (`%2F` included).
    const pathname = new URL(url, 'http://x').pathname.replace(/\/+$/, '') || '/';
    for (const t of this.templates) {
      const operation = this.doc.paths[t.path]?.[method.toLowerCase()];
      if (operation && t.pattern.test(pathname)) return { path: t.path, operation };
    }
    return undefined;
  }

  /**
   * Throws a ContractViolation naming the operation and what deviates. Answers to undocumented routes (the
   * dashboard page, /docs, unknown paths, unserved methods) are held to the problem schema when they are errors
   * in JSON, and otherwise not checked.
   */
  check(answer: Answer): void {
    const found = this.operationOf(answer.method, answer.url);
    const contentType = String(answer.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!found) {
      if (answer.status >= 400 && /json/.test(contentType)) {
        const where = `${answer.method} ${answer.url} (undocumented route) → ${answer.status}`;
        if (contentType !== 'application/problem+json')
          this.fail(where, `error content type ${contentType}, expected application/problem+json`);
        this.validateBody(where, 'Problem', { $ref: '#/components/schemas/Problem' }, answer.body);
      }
      return;
    }
    const where = `${answer.method} ${found.path} (${found.operation.operationId ?? '?'}) → ${answer.status}`;
    const response = this.resolve(found.operation.responses[String(answer.status)]);
    if (!response)
      this.fail(
        where,
        `status ${answer.status} is not documented (documented: ${Object.keys(found.operation.responses).join(', ')}); body ${preview(answer.body)}`,
      );
    for (const [name, h] of Object.entries(response.headers ?? {}))
      if (h.required && answer.headers[name.toLowerCase()] === undefined)
        this.fail(where, `required header ${name} missing`);
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) return;
    const media = content[contentType];
    if (!media)
      this.fail(
        where,
        `content type "${contentType}" is not documented (${Object.keys(content).join(', ')})`,
      );
    if (media.schema === undefined) return;
    const body = contentType === 'text/plain' && typeof answer.body !== 'string' ? '' : answer.body;
    this.validateBody(
      where,
      `${found.path} ${answer.method} ${answer.status} ${contentType}`,
      media.schema,
      body,
    );
  }

  /** A response object, or the one a `#/components/responses/<name>` reference names. */
  private resolve(r: ResponseObject | { readonly $ref: string } | undefined): ResponseObject | undefined {
    if (!r || !('$ref' in r)) return r;
    const name = r.$ref.replace('#/components/responses/', '');
    const found = this.doc.components?.responses?.[name];
    if (!found) this.fail(r.$ref, 'unresolvable response reference');
    return found;
  }

  private validateBody(where: string, key: string, schema: Json, body: unknown): void {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ allOf: [toJsonSchema(schema)], components: this.components });
      this.compiled.set(key, validate);
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 8)
        .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
        .join('; ');
      this.fail(where, `body does not match the documented schema: ${errors}; body ${preview(body)}`);
    }
  }

  private fail(where: string, what: string): never {
    throw new ContractViolation(`OpenAPI contract: ${where}: ${what}`);
  }
}

const preview = (body: unknown): string => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text === undefined ? 'undefined' : text.length > 600 ? `${text.slice(0, 600)}…` : text;
};
