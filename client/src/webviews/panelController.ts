// One form panel's conversation with its webview, without VS Code: validate each message, load the
// form's data, carry a submit to the vault and answer with the outcome. The vscode glue
// (secretPanels.ts) only moves messages in and out; this is where the rules live.
//
// The value of a submit lives in `submit`'s locals for the duration of one vault call: it is never
// stored on the controller, posted back, or logged.

import type { CreateSecretRequest, SecretMetadata, UpdateSecretRequest } from '../../../protocol/api';
import type { VaultApi } from '../../../protocol/client';
import { VaultApiError } from '../../../protocol/client';
import type { CreateSecretArgs } from '../../../protocol/lsp';
import { MAX_DESCRIPTION_LENGTH, checkSecretName, checkSecretValue, type NamingStyle, type SecretValue } from '../../../protocol/names';
import type { AgentOption, CreateFormData, FormData, FormProblem, HostToWebview, Submission } from '../../../protocol/webview';
import { parseWebviewMessage } from '../../../protocol/webview';
import { dateLocale } from '../../../protocol/dates';
import { loadFailureMessage, problemFromError, redact } from './problems';

/**
 * What Create starts with: a quick fix's arguments, and for Move to vault also the value, its
 * origin and what to do once the secret exists (replace the literal). Lives in the extension host only.
 */
export interface CreatePrefill extends CreateSecretArgs {
  description?: string;
  value?: string;
  moveFrom?: { location: string; replacement: string; note?: string };
  /** After the vault created the secret, before the panel closes. */
  onCreated?(secret: SecretMetadata): Promise<void>;
}

export type FormTarget = { form: 'create'; prefill?: CreatePrefill } | { form: 'edit'; name: string; keys?: string[] } | { form: 'access'; name: string };

/** The vault connection as the extension has it when a form needs it. */
export interface PanelSession {
  api: VaultApi;
  namingStyle: NamingStyle;
  /** The agent of the active workspace folder: ticked in Create Secret, marked in the lists. */
  currentAgent: string | null;
}

export interface PanelDeps {
  /** The current session; rejects (with a message a person can act on) when not connected. */
  session(): Promise<PanelSession>;
  /** After a successful change, so the sidebar shows it at once. */
  onDidChange?(secret: SecretMetadata, form: FormTarget['form']): void;
  /** For the output channel. Never given a value, nor a webview message's content. */
  log?(message: string): void;
}

/** What the controller needs of its panel. */
export interface PanelView {
  post(message: HostToWebview): void;
  close(): void;
}

export function targetKey(target: FormTarget): string {
  return target.form === 'create' ? `create:${target.prefill?.name ?? ''}` : `${target.form}:${target.name}`;
}

function agentOptions(agents: readonly { id: string; name: string }[]): AgentOption[] {
  return agents.map((a) => ({ id: a.id, name: a.name }));
}

function valueStrings(value: SecretValue | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : Object.values(value);
}

export class PanelController {
  /** The version the form shows, sent as If-Match so that a concurrent change is a 412, not lost. */
  private version: number | undefined;
  private submitting = false;
  private disposed = false;

  constructor(
    private readonly target: FormTarget,
    private readonly view: PanelView,
    private readonly deps: PanelDeps,
  ) {}

  private get subject(): string {
    return this.target.form === 'create' ? (this.target.prefill?.name ?? '') : this.target.name;
  }

  /** Handles one message from the webview. Never rejects: failures are answered or logged. */
  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      // The content is not logged: a malformed submit could still hold a value.
      this.deps.log?.(`Ignored a malformed message from the ${this.target.form} form.`);
      return;
    }
    switch (message.type) {
      case 'ready':
      case 'reload':
        await this.load();
        return;
      case 'cancel':
        this.view.close();
        return;
      case 'submit':
        await this.submit(message.requestId, message.submission);
        return;
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private post(message: HostToWebview): void {
    if (!this.disposed) this.view.post(message);
  }

  private async load(): Promise<void> {
    try {
      const data = await this.formData();
      this.post({ type: 'init', data });
    } catch (error) {
      const message = loadFailureMessage(error, this.target.form, this.subject);
      this.deps.log?.(`Could not load the ${this.target.form} form: ${message}`);
      this.post({ type: 'loadFailed', message });
    }
  }

  private async formData(): Promise<FormData> {
    const session = await this.deps.session();
    const t = this.target;
    switch (t.form) {
      case 'create': {
        const [agents, secrets] = await Promise.all([session.api.listAgents(), session.api.listSecrets()]);
        const prefill: CreateFormData['prefill'] = {};
        if (t.prefill?.name !== undefined) prefill.name = t.prefill.name;
        if (t.prefill?.keys && t.prefill.keys.length > 0) prefill.keys = [...t.prefill.keys];
        if (t.prefill?.description !== undefined) prefill.description = t.prefill.description;
        if (t.prefill?.value !== undefined) prefill.value = t.prefill.value;
        if (t.prefill?.moveFrom !== undefined) prefill.moveFrom = { ...t.prefill.moveFrom };
        return {
          form: 'create',
          namingStyle: session.namingStyle,
          agents: agentOptions(agents),
          existingNames: secrets.map((s) => s.name),
          currentAgent: t.prefill?.agent ?? session.currentAgent,
          prefill,
        };
      }
      case 'edit': {
        const secret = await session.api.getSecret(t.name);
        this.version = secret.version;
        const locale = dateLocale();
        return { form: 'edit', namingStyle: session.namingStyle, secret, ...(locale ? { locale } : {}), ...(t.keys?.length ? { asPairs: t.keys } : {}) };
      }
      case 'access': {
        const [secret, agents] = await Promise.all([session.api.getSecret(t.name), session.api.listAgents()]);
        this.version = secret.version;
        return { form: 'access', namingStyle: session.namingStyle, agents: agentOptions(agents), currentAgent: session.currentAgent, secret };
      }
    }
  }

  private fail(requestId: number, problem: FormProblem): void {
    this.post({ type: 'result', requestId, ok: false, problem });
  }

  private async submit(requestId: number, submission: Submission): Promise<void> {
    if (submission.form !== this.target.form) {
      this.deps.log?.(`Ignored a ${submission.form} submit sent to the ${this.target.form} form.`);
      this.fail(requestId, { code: 'invalid', message: 'This form cannot send that request.' });
      return;
    }
    if (this.submitting) {
      this.fail(requestId, { code: 'busy', message: 'The previous request is still running.' });
      return;
    }
    this.submitting = true;
    const values = valueStrings('value' in submission ? submission.value : undefined);
    try {
      const session = await this.deps.session();
      const problem = this.check(submission, session.namingStyle);
      if (problem) {
        this.fail(requestId, problem);
        return;
      }
      const saved = await this.call(session.api, submission);
      this.post({ type: 'result', requestId, ok: true });
      this.deps.onDidChange?.(saved, this.target.form);
      if (this.target.form === 'create' && this.target.prefill?.onCreated) {
        // The secret exists whatever happens next: a failure here is the caller's to report.
        await this.target.prefill.onCreated(saved).catch((e: unknown) => this.deps.log?.(`After creating '${saved.name}': ${e instanceof Error ? e.message : String(e)}`));
      }
      this.view.close();
    } catch (error) {
      if (error instanceof VaultApiError && error.status === 412) {
        this.post({ type: 'conflict', requestId, currentVersion: error.problem.currentVersion ?? null });
        return;
      }
      const problem = problemFromError(error, this.target.form, 'name' in submission ? submission.name : this.subject);
      problem.message = redact(problem.message, values);
      this.deps.log?.(`${this.target.form} of '${this.subject}' failed: ${problem.code}: ${problem.message}`);
      this.fail(requestId, problem);
    } finally {
      this.submitting = false;
    }
  }

  /** The same rules the form applies, since the webview is untrusted; the vault checks again. */
  private check(s: Submission, style: NamingStyle): FormProblem | undefined {
    if (s.form === 'access') return undefined;
    if (s.form === 'create') {
      const nameProblem = checkSecretName(s.name, style);
      if (nameProblem) return { code: 'invalid', field: 'name', message: nameProblem };
    }
    if (s.description.length > MAX_DESCRIPTION_LENGTH) {
      return { code: 'invalid', field: 'description', message: `A description has at most ${MAX_DESCRIPTION_LENGTH} characters.` };
    }
    if (s.value !== undefined) {
      const valueProblem = checkSecretValue(s.value);
      if (valueProblem) return { code: 'invalid', field: valueProblem.field, message: valueProblem.message };
    }
    return undefined;
  }

  private call(api: VaultApi, s: Submission): Promise<SecretMetadata> {
    switch (s.form) {
      case 'create': {
        const body: CreateSecretRequest = { name: s.name, value: s.value, agents: s.agents };
        if (s.description !== '') body.description = s.description;
        if (s.expiresAt !== undefined) body.expiresAt = s.expiresAt;
        if (s.rotationDays !== undefined) body.rotationDays = s.rotationDays;
        if (s.keySensitivity !== undefined) body.keySensitivity = s.keySensitivity;
        return api.createSecret(body);
      }
      case 'edit': {
        const name = this.subject;
        const body: UpdateSecretRequest = { description: s.description };
        if (s.value !== undefined) body.value = s.value;
        // Sent only when the form changed them: null clears, absent keeps.
        if (s.expiresAt !== undefined) body.expiresAt = s.expiresAt;
        if (s.rotationDays !== undefined) body.rotationDays = s.rotationDays;
        // Absent keeps the marks; the form sends them only when changed.
        if (s.keySensitivity !== undefined) body.keySensitivity = s.keySensitivity;
        return api.updateSecret(name, body, this.version);
      }
      case 'access':
        return api.replaceAccess(this.subject, s.agents, this.version);
    }
  }
}
