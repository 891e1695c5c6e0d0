/**
 * A tiny JSON Schema builder for the integration contracts: the same objects go into the AsyncAPI document
 * and into the unit test that validates every mapped payload, so the published schema cannot drift from
 * what the mapper produces.
 */
export type JsonSchema = { readonly [k: string]: unknown };

export const str = (description?: string): JsonSchema => ({
  type: 'string',
  ...(description ? { description } : {}),
});
export const date = (description?: string): JsonSchema => ({
  type: 'string',
  format: 'date',
  ...(description ? { description } : {}),
});
export const instant = (description?: string): JsonSchema => ({
  type: 'string',
  format: 'date-time',
  ...(description ? { description } : {}),
});
export const bool = (description?: string): JsonSchema => ({
  type: 'boolean',
  ...(description ? { description } : {}),
});
export const int = (description?: string): JsonSchema => ({
  type: 'integer',
  ...(description ? { description } : {}),
});
export const oneOf = (values: readonly string[], description?: string): JsonSchema => ({
  type: 'string',
  enum: values,
  ...(description ? { description } : {}),
});
export const nullable = (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] });
export const arrayOf = (items: JsonSchema, description?: string): JsonSchema => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
});

/**
 * Every listed property is required (absent values are explicit nulls). Left open to additional properties:
 * adding a field is the one change a v1 contract may receive, and consumers must tolerate it.
 */
export const object = (
  properties: Readonly<Record<string, JsonSchema>>,
  description?: string,
): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  ...(description ? { description } : {}),
});
