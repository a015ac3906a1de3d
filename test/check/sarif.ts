// Validation against the official SARIF 2.1.0 schema kept in test/check/schemas/ (see its README).

import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SARIF_SCHEMA_FILE = path.join(__dirname, 'schemas/sarif-schema-2.1.0.json');

export function sarifValidator(): (value: unknown) => ErrorObject[] {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  // Draft-04's `id` is draft-07's `$id`; no other keyword of this schema changed meaning.
  const { id, $schema: _draft04, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile({ ...rest, $id: String(id), $schema: 'http://json-schema.org/draft-07/schema#' });
  return (value) => (validate(value) ? [] : [...(validate.errors ?? [])]);
}
