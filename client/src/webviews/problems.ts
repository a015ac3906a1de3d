// Turns a failed vault call into what the form shows: a sentence, and the field it concerns.

import type { FormKind, FormProblem } from '../../../protocol/webview';
import { VaultApiError } from '../../../protocol/client';

/**
 * `text` with every occurrence of the submitted values replaced. The vault never quotes a value,
 * but whatever it or a proxy says is shown and may be logged, so the host makes sure. Values
 * shorter than 3 characters are left alone: replacing them would garble every message.
 */
export function redact(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (v.length >= 3) out = out.split(v).join('[redacted]');
  return out;
}

const FIELD_BY_CODE: Partial<Record<string, string>> = {
  invalid_name: 'name',
  invalid_value: 'value',
  payload_too_large: 'value',
};

export function problemFromError(error: unknown, form: FormKind, subject: string): FormProblem {
  if (!(error instanceof VaultApiError)) {
    return { code: 'internal', message: `The request failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const { problem } = error;
  const said = problem.detail ?? problem.title;
  if (error.status === 0) return { code: 'unreachable', message: said };
  let field = problem.field ?? FIELD_BY_CODE[problem.code];
  let message = said;
  switch (problem.code) {
    case 'conflict':
      // On create, a 409 is the name already taken.
      if (form === 'create') {
        field ??= 'name';
        message = problem.detail ?? `A secret named '${subject}' already exists.`;
      }
      break;
    case 'forbidden':
      message = problem.detail ?? 'Only workspace admins can change secrets and access.';
      break;
    case 'unauthorized':
      message = 'The vault did not accept your credentials: sign in again, then retry.';
      break;
    case 'not_found':
      if (form !== 'create' && field === undefined) message = `The secret '${subject}' no longer exists.`;
      break;
    case 'too_many_requests':
      message = error.retryAfter !== undefined ? `The vault is busy: try again in ${error.retryAfter} s.` : said;
      break;
    default:
      break;
  }
  const result: FormProblem = { code: problem.code, message };
  if (field !== undefined) result.field = field;
  return result;
}

/** Why the form's data could not be loaded, for the form's "Retry" page. */
export function loadFailureMessage(error: unknown, form: FormKind, subject: string): string {
  if (error instanceof VaultApiError && error.status === 404 && form !== 'create') {
    return `The secret '${subject}' no longer exists.`;
  }
  // Not a vault answer: the session's own reason (not signed in, no vault configured) says it best.
  if (!(error instanceof VaultApiError)) return error instanceof Error ? error.message : String(error);
  return `Could not load the form: ${problemFromError(error, form, subject).message}`;
}
