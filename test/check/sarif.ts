// Validation of our SARIF against the SARIF 2.1.0 JSON schema (draft-04), with ajv's draft-04 build.
//
// The schema comes from the npm registry: `@microsoft/jest-sarif` ships the SARIF 2.1.0 schema as
// published by the SARIF TC (`sarif-2.1.0-rtm.5.json`, the schema SchemaStore serves for 2.1.0).
// When the final OASIS errata-01 schema is provided beside the repository (shared/schemas/
// sarif-schema-2.1.0.json, where fetched data files may live), every document is checked against
// it as well. Nothing fetched from outside the registries is committed here.

import Ajv, { type ErrorObject } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(__filename);

export const SARIF_SCHEMA_FILES: string[] = [
  require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'),
  path.resolve(__dirname, '../../../shared/schemas/sarif-schema-2.1.0.json'),
].filter((f) => existsSync(f));

export function sarifValidator(): (value: unknown) => ErrorObject[] {
  const validators = SARIF_SCHEMA_FILES.map((file) => {
    // unicodeRegExp off: rtm.5's language pattern has a stray ']' that only the u flag rejects.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  });
  return (value) => validators.flatMap((validate) => (validate(value) ? [] : [...(validate.errors ?? [])]));
}
