import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { ARRAY_MAX_SIZE, getMetadataStorage, IS_OBJECT } from 'class-validator';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Limits checked before any recursive work (class-transformer, class-validator, the domain, the store):
 * nesting depth on the raw JSON text, then one bounded walk over the parsed value. Each refusal is a 400 naming
 * the request field, so nothing downstream ever sees input PostgreSQL or V8 would choke on.
 */
export const MAX_JSON_DEPTH = 32;
/** No DTO array is longer (quote and part lines ≤ 50, catalog entries ≤ 1000 fit the 64 KB body limit). */
export const MAX_ARRAY_ITEMS = 1000;
/** The widest DTO has 11 fields; unknown ones are refused anyway, this only bounds the work of refusing. */
export const MAX_OBJECT_KEYS = 64;

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** NUL (PostgreSQL text and jsonb refuse it) and UTF-16 surrogates without their other half. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern is for
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Body-parser `verify` hook: refuses JSON nested deeper than MAX_JSON_DEPTH by one linear scan of the bytes. */
export function refuseDeepJson(_req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        // Shaped like a body-parser error so error-mapping.ts maps it with the others (400, field `body`).
        throw Object.assign(new Error(`request body nests deeper than ${MAX_JSON_DEPTH} levels`), {
          status: 400,
          expose: true,
          type: 'entity.too.deep',
        });
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

const refuse = (field: string, problem: string): BadRequestException =>
  new BadRequestException({ code: 'validation_failed', field, message: `${field}: ${problem}` });

/** Why a string cannot be stored or compared, or null. */
export function unsafeText(value: string): string | null {
  return UNSAFE_TEXT.test(value) ? 'must not contain NUL characters or unpaired UTF-16 surrogates' : null;
}

function check(value: unknown, field: string, depth: number): void {
  if (depth > MAX_JSON_DEPTH) throw refuse(field, `nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (typeof value === 'string') {
    const problem = unsafeText(value);
    if (problem) throw refuse(field, problem);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw refuse(field, 'must be a finite number');
    if (Number.isInteger(value) && !Number.isSafeInteger(value))
      throw refuse(field, `must be an integer within ±${Number.MAX_SAFE_INTEGER}`);
  } else if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY_ITEMS) throw refuse(field, `must have at most ${MAX_ARRAY_ITEMS} items`);
    value.forEach((item, i) => check(item, `${field}.${i}`, depth + 1));
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length > MAX_OBJECT_KEYS) throw refuse(field, `must have at most ${MAX_OBJECT_KEYS} fields`);
    for (const key of keys) {
      const child = field === 'body' ? key : `${field}.${key}`;
      if (PROTOTYPE_KEYS.has(key)) throw refuse(child, 'this field name is not allowed');
      const keyProblem = unsafeText(key);
      if (keyProblem) throw refuse(field, `field names ${keyProblem}`);
      check((value as Record<string, unknown>)[key], child, depth + 1);
    }
  }
}

/**
 * The DTO's own shape limits, checked before class-transformer builds an instance per array item: a field
 * declared an object (`@IsObject()`) that holds an array, or an array beyond its `@ArrayMaxSize`.
 */
function checkShape(value: unknown, metatype: ArgumentMetadata['metatype']): void {
  if (!metatype || typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const m of getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false)) {
    const field = (value as Record<string, unknown>)[m.propertyName];
    if (!Array.isArray(field)) continue;
    if (m.name === IS_OBJECT) throw refuse(m.propertyName, 'must be an object, not a list');
    const max: unknown = m.constraints?.[0];
    if (m.name === ARRAY_MAX_SIZE && typeof max === 'number' && field.length > max)
      throw refuse(m.propertyName, `must have at most ${max} items`);
  }
}

/**
 * Runs before the validation pipe on every body, query and path parameter: the field it names is the request's
 * (`failureDescription`, `lines.3.description`, `serialNumber`, `partnerId`), never an internal path.
 */
@Injectable()
export class InputGuardPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    switch (metadata.type) {
      case 'body':
        check(value, 'body', 0);
        checkShape(value, metadata.metatype);
        break;
      case 'query':
      case 'param':
        if (metadata.data !== undefined) check(value, metadata.data, 1);
        else if (typeof value === 'object' && value !== null)
          for (const [k, v] of Object.entries(value)) {
            if (PROTOTYPE_KEYS.has(k)) throw refuse(k, 'this parameter name is not allowed');
            check(v, k, 1);
          }
        break;
      case 'custom':
        break;
    }
    return value;
  }
}
