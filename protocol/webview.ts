// Messages between the secret forms (webviews) and the extension host. Each direction is a
// discriminated union on `type`. The host treats every webview message as untrusted input and
// accepts it only through `parseWebviewMessage`, which rejects unknown fields and wrong types.
//
// Values: a typed secret value crosses this boundary exactly once, webview → host in a `submit`.
// The one host → webview field that can carry a value is `prefill.value` of the Create form that
// Move to vault opens (the literal the editor holds, so it arrives filled in and masked); the form
// never keeps it in its state. No other host → webview field could carry one.

import type { SecretMetadata } from './api';
import { MAX_ROTATION_DAYS, MIN_ROTATION_DAYS } from './api';
import { KEY_SENSITIVITIES, type KeySensitivity } from './keySensitivity';
import type { NamingStyle, SecretValue } from './names';
import { MAX_AGENTS_PER_SECRET, MAX_DESCRIPTION_LENGTH, MAX_PAIRS, MAX_VALUE_BYTES } from './names';

export type FormKind = 'create' | 'edit' | 'access';

export interface AgentOption {
  id: string;
  name: string;
}

/** What the Create Secret form starts with; the quick fix fills `prefill`. */
export interface CreateFormData {
  form: 'create';
  namingStyle: NamingStyle;
  agents: AgentOption[];
  /** Names already in the vault, so the form can say "already exists" as you type. */
  existingNames: string[];
  /** The agent of the workspace folder, ticked by default. */
  currentAgent: string | null;
  prefill: {
    name?: string;
    keys?: string[];
    description?: string;
    /** Move to vault only: the hard-coded value, shown masked. Never written to the webview's state. */
    value?: string;
    /**
     * Move to vault only: where the literal is (`functions/pay.py:12`), the code that will replace
     * it, and what to do after (the replacement runs outside the agent's function).
     */
    moveFrom?: { location: string; replacement: string; note?: string };
  };
}

export interface EditFormData {
  form: 'edit';
  namingStyle: NamingStyle;
  secret: SecretMetadata;
  /** VS Code's display language, for the form's dates (dates.ts); ISO without it. */
  locale?: string;
  /**
   * A single value's form starts as key/value pairs with these keys (the `not-a-mapping` quick fix:
   * the code reads the secret as a mapping). Ignored for a key/value secret.
   */
  asPairs?: string[];
}

export interface AccessFormData {
  form: 'access';
  /** To word the hint with the right way of reading the secret (`get_secret` or `os.environ`). */
  namingStyle: NamingStyle;
  agents: AgentOption[];
  currentAgent: string | null;
  secret: SecretMetadata;
}

export type FormData = CreateFormData | EditFormData | AccessFormData;

/** A failure to show in the form: beside `field` (`name`, `description`, `value`, `value.<key>`, `agents`), or above the form. */
export interface FormProblem {
  /** The vault's problem code, `unreachable`, or `invalid` for the host's own checks. */
  code: string;
  message: string;
  field?: string;
}

// ---- host → webview ----

export type HostToWebview =
  /** Answer to `ready` and to `reload`: the form's data. Never a value. */
  | { type: 'init'; data: FormData }
  /** The form's data could not be loaded (vault unreachable, secret deleted); the form offers to retry with `reload`. */
  | { type: 'loadFailed'; message: string }
  /** The outcome of the `submit` with this `requestId`. On success the host closes the panel next. */
  | { type: 'result'; requestId: number; ok: true }
  | { type: 'result'; requestId: number; ok: false; problem: FormProblem }
  /** The submit with this `requestId` hit a 412: the secret changed since the form opened. */
  | { type: 'conflict'; requestId: number; currentVersion: number | null };

// ---- webview → host ----

export interface CreateSubmission {
  form: 'create';
  name: string;
  description: string;
  value: SecretValue;
  agents: string[];
  /** ISO 8601; absent: never expires. */
  expiresAt?: string;
  /** Absent: no rotation reminder. */
  rotationDays?: number;
  /** Marks on keys of a key/value value (key names, never values); absent: every key takes its default. */
  keySensitivity?: Record<string, KeySensitivity>;
}

export interface EditSubmission {
  form: 'edit';
  description: string;
  /** Absent: keep the stored value. */
  value?: SecretValue;
  /** Absent: unchanged; null: clear (never expires / no reminder). */
  expiresAt?: string | null;
  rotationDays?: number | null;
  /** Absent: the marks stay; an object replaces them all (keys of the value sent, else of the stored one). */
  keySensitivity?: Record<string, KeySensitivity>;
}

export interface AccessSubmission {
  form: 'access';
  agents: string[];
}

export type Submission = CreateSubmission | EditSubmission | AccessSubmission;

export type WebviewToHost =
  /** The script has loaded and listens: the host answers with `init`. */
  | { type: 'ready' }
  | { type: 'submit'; requestId: number; submission: Submission }
  | { type: 'cancel' }
  /** Load the form's data again (after a conflict or a failed load). */
  | { type: 'reload' };

// ---- validation of webview → host ----

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Exactly these keys: `required` must all be present, nothing outside `required` + `optional`. */
function hasExactKeys(o: Json, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Object.keys(o);
  if (!required.every((k) => Object.hasOwn(o, k))) return false;
  return keys.every((k) => required.includes(k) || optional.includes(k));
}

function isBoundedString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max;
}

function isStringArray(v: unknown, maxItems: number, maxLength: number): v is string[] {
  return Array.isArray(v) && v.length <= maxItems && v.every((s) => isBoundedString(s, maxLength));
}

function isRequestId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

// Shape limits only, generous enough never to reject what the vault would accept; the naming
// rules and value limits proper are checked with names.ts by whoever receives the message.
const MAX_FIELD = 256;

function isSecretValue(v: unknown): v is SecretValue {
  // Characters, not bytes: a UTF-8 byte is at least one UTF-16 unit, so this never rejects a valid value.
  if (typeof v === 'string') return v.length <= MAX_VALUE_BYTES;
  if (!isRecord(v)) return false;
  const entries = Object.entries(v);
  return entries.length <= MAX_PAIRS && entries.every(([k, x]) => k.length <= MAX_FIELD && isBoundedString(x, MAX_VALUE_BYTES));
}

// A plain copy: keys such as `__proto__` stay own data properties, never a prototype.
function copyValue(v: SecretValue): SecretValue {
  return typeof v === 'string' ? v : plainCopy(v);
}

function plainCopy<T>(v: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(v));
}

// ---- a secret's life: the expiry and the rotation reminder, as the forms take them ----

/** An ISO 8601 time the vault takes (shape only: the vault checks it again). */
function isTime(v: unknown): v is string {
  return isBoundedString(v, 64) && Number.isFinite(Date.parse(v));
}

function isRotationDays(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= MIN_ROTATION_DAYS && v <= MAX_ROTATION_DAYS;
}

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The Expires field (`<input type=date>`, yyyy-mm-dd) as the vault takes it: that day at 00:00 UTC,
 * as the CLI's `--expires DATE` does. Empty is null (never expires). A date that is not after today
 * (UTC) is refused: from then on every run-time read would fail at once.
 */
export function parseExpiryInput(text: string, nowMs: number): { value: string | null } | { problem: string } {
  const t = text.trim();
  if (t === '') return { value: null };
  const m = DATE_INPUT.exec(t);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== t) return { problem: 'Enter a date as YYYY-MM-DD, or leave it empty for no expiry.' };
  if (ms <= nowMs) return { problem: 'Pick a date after today: from that day on, run-time reads of the secret are refused.' };
  return { value: new Date(ms).toISOString() };
}

/** The Rotation reminder field: whole days within the vault's bounds; empty is null (no reminder). */
export function parseRotationInput(text: string): { value: number | null } | { problem: string } {
  const t = text.trim();
  if (t === '') return { value: null };
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!isRotationDays(n)) return { problem: `Enter a whole number of days from ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}, or leave it empty for no reminder.` };
  return { value: n };
}

/** The date part (yyyy-mm-dd, UTC) of a stored expiry, as the Expires field shows it. */
export function expiryInputValue(expiresAt: string | null | undefined): string {
  if (typeof expiresAt !== 'string') return '';
  const ms = Date.parse(expiresAt);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
}

/** Marks on keys: at most MAX_PAIRS keys of bounded length, each 'sensitive' or 'not-sensitive'. */
function isMarks(v: unknown): v is Record<string, KeySensitivity> {
  if (!isRecord(v)) return false;
  const entries = Object.entries(v);
  return entries.length <= MAX_PAIRS && entries.every(([k, m]) => k.length <= MAX_FIELD && KEY_SENSITIVITIES.includes(m as KeySensitivity));
}

function parseSubmission(v: unknown): Submission | undefined {
  if (!isRecord(v)) return undefined;
  switch (v.form) {
    case 'create': {
      if (!hasExactKeys(v, ['form', 'name', 'description', 'value', 'agents'], ['expiresAt', 'rotationDays', 'keySensitivity'])) return undefined;
      if (!isBoundedString(v.name, MAX_FIELD) || !isBoundedString(v.description, MAX_DESCRIPTION_LENGTH)) return undefined;
      if (!isSecretValue(v.value) || !isStringArray(v.agents, MAX_AGENTS_PER_SECRET, MAX_FIELD)) return undefined;
      if (Object.hasOwn(v, 'expiresAt') && !isTime(v.expiresAt)) return undefined;
      if (Object.hasOwn(v, 'rotationDays') && !isRotationDays(v.rotationDays)) return undefined;
      if (Object.hasOwn(v, 'keySensitivity') && !isMarks(v.keySensitivity)) return undefined;
      const created: CreateSubmission = { form: 'create', name: v.name, description: v.description, value: copyValue(v.value), agents: [...v.agents] };
      if (isTime(v.expiresAt)) created.expiresAt = v.expiresAt;
      if (isRotationDays(v.rotationDays)) created.rotationDays = v.rotationDays;
      if (isMarks(v.keySensitivity)) created.keySensitivity = plainCopy(v.keySensitivity);
      return created;
    }
    case 'edit': {
      if (!hasExactKeys(v, ['form', 'description'], ['value', 'expiresAt', 'rotationDays', 'keySensitivity'])) return undefined;
      if (!isBoundedString(v.description, MAX_DESCRIPTION_LENGTH)) return undefined;
      // Present means a change: a time or null (clear); absent leaves it as it is.
      if (Object.hasOwn(v, 'expiresAt') && v.expiresAt !== null && !isTime(v.expiresAt)) return undefined;
      if (Object.hasOwn(v, 'rotationDays') && v.rotationDays !== null && !isRotationDays(v.rotationDays)) return undefined;
      const edited: EditSubmission = { form: 'edit', description: v.description };
      if (Object.hasOwn(v, 'expiresAt')) edited.expiresAt = v.expiresAt as string | null;
      if (Object.hasOwn(v, 'rotationDays')) edited.rotationDays = v.rotationDays as number | null;
      if (Object.hasOwn(v, 'keySensitivity')) {
        if (!isMarks(v.keySensitivity)) return undefined;
        edited.keySensitivity = plainCopy(v.keySensitivity);
      }
      if (v.value === undefined) return Object.hasOwn(v, 'value') ? undefined : edited;
      if (!isSecretValue(v.value)) return undefined;
      edited.value = copyValue(v.value);
      return edited;
    }
    case 'access':
      if (!hasExactKeys(v, ['form', 'agents'])) return undefined;
      if (!isStringArray(v.agents, MAX_AGENTS_PER_SECRET, MAX_FIELD)) return undefined;
      return { form: 'access', agents: [...v.agents] };
    default:
      return undefined;
  }
}

/**
 * The message a webview sent, or `undefined` when it is not exactly one of `WebviewToHost`
 * (unknown type, unknown or missing fields, wrong types, oversized strings). The result is a fresh
 * object built from the checked fields, so nothing else the sender attached survives.
 */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'cancel':
    case 'reload':
      return hasExactKeys(raw, ['type']) ? { type: raw.type } : undefined;
    case 'submit': {
      if (!hasExactKeys(raw, ['type', 'requestId', 'submission']) || !isRequestId(raw.requestId)) return undefined;
      const submission = parseSubmission(raw.submission);
      return submission ? { type: 'submit', requestId: raw.requestId, submission } : undefined;
    }
    default:
      return undefined;
  }
}

/** For the webview: accept only host messages of a known `type` (the host is trusted; this guards against stray `message` events). */
export function isHostMessage(raw: unknown): raw is HostToWebview {
  if (!isRecord(raw)) return false;
  switch (raw.type) {
    case 'init':
      return isRecord(raw.data) && (raw.data.form === 'create' || raw.data.form === 'edit' || raw.data.form === 'access');
    case 'loadFailed':
      return typeof raw.message === 'string';
    case 'result':
      return isRequestId(raw.requestId) && (raw.ok === true || (raw.ok === false && isRecord(raw.problem)));
    case 'conflict':
      return isRequestId(raw.requestId) && (raw.currentVersion === null || typeof raw.currentVersion === 'number');
    default:
      return false;
  }
}
