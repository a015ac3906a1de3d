// The three secret forms in a real Chromium, driven as a person would, with the host stood in by
// the harness: what the page posts is recorded, what the host says is delivered as a message.

import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contentSecurityPolicy } from '../../client/src/webviews/html';
import { AGENTS, CRM, accessData, createData, editData, init, secret } from './fixtures';
import { SCREENSHOTS, allControls, tick, buildBundles, launch, openPanel, problemOf, serve, tabOrder, unnamedControls, type PanelPage, type PanelName, type Served } from './harness';
import type { AccessFormData, CreateFormData, EditFormData, HostToWebview } from '../../protocol/webview';
import { PanelController, type FormTarget } from '../../client/src/webviews/panelController';
import { startTestVault, type TestVault } from '../helpers/vault';
import type { PageGlobals } from './page';
import { randomBytes } from 'node:crypto';
import { parseCreateSecretLink } from '../../protocol/assistantClient';
import { linkTarget, verifyCreateSecretLink } from '../../client/src/core/createSecretLinks';
import { signedCreateSecretLink } from '../../vault/src/mcp/linkSignature';

let browser: Browser;
let served: Served;
const pages: PanelPage[] = [];

beforeAll(async () => {
  await buildBundles();
  await mkdir(SCREENSHOTS, { recursive: true });
  served = await serve();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** Opens a panel, checks the handshake, delivers `data` and waits for the form. */
async function open(panel: PanelName, data: CreateFormData | EditFormData | AccessFormData, o: { theme?: 'light' | 'dark' | 'high-contrast'; width?: number } = {}): Promise<PanelPage> {
  const p = await openPanel(browser, served, panel, o);
  pages.push(p);
  expect(await p.waitForSent(1)).toEqual({ type: 'ready' });
  await p.deliver(init(data));
  await p.page.locator('form').waitFor();
  return p;
}

const VALUE_1 = 'sk_live_51Hx-SECRET-VALUE-one';
const VALUE_2 = 'cs-SECRET-VALUE-two-9f8e7d';

/** A value must not be anywhere but inside its input: not in the markup, the text, the state or a non-submit message. */
async function expectValuesOnlyInInputs(p: PanelPage, values: string[]): Promise<void> {
  const { html, text } = await p.page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return { html: document.documentElement.outerHTML, text: document.body.innerText };
  });
  const states = JSON.stringify(await p.states());
  const nonSubmits = JSON.stringify((await p.sent()).filter((m) => (m as { type: string }).type !== 'submit'));
  for (const v of values) {
    expect(html).not.toContain(v);
    expect(text).not.toContain(v);
    expect(states).not.toContain(v);
    expect(nonSubmits).not.toContain(v);
  }
}

describe('Create Secret', () => {
  test('says ready once, shows Loading until init, then the form; the current agent is ticked', async () => {
    const p = await openPanel(browser, served, 'createSecret');
    pages.push(p);
    expect(await p.waitForSent(1)).toEqual({ type: 'ready' });
    expect(await p.page.locator('main').textContent()).toContain('Loading');
    await p.deliver(init(createData()));
    await p.page.getByRole('heading', { name: 'Create Secret' }).waitFor();
    expect(await p.page.getByRole('checkbox', { name: /support-bot/ }).isChecked()).toBe(true);
    expect(await p.page.getByRole('checkbox', { name: /billing-bot/ }).isChecked()).toBe(false);
    expect(await p.page.locator('vscode-checkbox[value="support-bot"]').textContent()).toContain('current');
    expect(await p.sent()).toEqual([{ type: 'ready' }]);
    expect(await p.violations()).toEqual([]);
  });

  test('checks the name as you type against the naming rule and the existing names', async () => {
    const p = await open('createSecret', createData());
    const name = p.page.getByRole('textbox', { name: 'Name', exact: true });
    expect(await problemOf(name)).toBeNull();
    // Capitals are a convention matter (advice), not an error.
    await name.fill('Stripe_Key');
    expect(await problemOf(name)).toBeNull();
    await name.fill(' stripe_key');
    expect(await problemOf(name)).toBe('A secret name cannot start or end with a space.');
    await name.fill('stripe\u202Ekey');
    expect(await problemOf(name)).toContain('U+202E');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await name.fill('stripe_api_key');
    expect(await problemOf(name)).toBe("A secret named 'stripe_api_key' already exists.");
    await name.fill('');
    expect(await problemOf(name)).toBe('A secret name cannot be empty.');
    await name.fill('github_token');
    expect(await problemOf(name)).toBeNull();
    expect(await name.getAttribute('aria-invalid')).toBeNull();
    expect(await p.page.locator('.field', { has: name }).locator('code').textContent()).toBe("conv.utils.get_secret('github_token')");
    expect((await p.sent()).length).toBe(1);
  });

  test('an UPPER_CASE account wants environment-style names and shows os.environ', async () => {
    const p = await open('createSecret', createData({ namingStyle: 'UPPER_CASE', existingNames: ['X_BEARER_TOKEN'] }));
    const name = p.page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('github_token');
    expect(await problemOf(name)).toBe("This account uses environment-style names: did you mean 'GITHUB_TOKEN'?");
    await name.fill('X_BEARER_TOKEN');
    expect(await problemOf(name)).toBe("A secret named 'X_BEARER_TOKEN' already exists.");
    await name.fill('GITHUB_TOKEN');
    expect(await problemOf(name)).toBeNull();
    expect(await p.page.locator('.field', { has: name }).locator('code').textContent()).toBe("os.environ['GITHUB_TOKEN']");
  });

  test('a name off the snake_case convention is accepted with advice: the conforming name, why, and a button to use it', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    const advice = page.locator('.field', { has: name }).locator('.name-advice');
    const use = advice.getByRole('button');
    expect(await advice.isVisible()).toBe(false);
    await name.fill('Prod API Credentials');
    expect(await problemOf(name)).toBeNull();
    expect(await name.getAttribute('aria-invalid')).toBeNull();
    expect(await advice.isVisible()).toBe(true);
    expect(await advice.textContent()).toContain("snake_case is advised: code reads conv.utils.get_secret('prod_api_credentials') more easily.");
    expect(await name.getAttribute('aria-describedby')).toContain(await advice.getAttribute('id'));
    expect(await page.locator('.field', { has: name }).locator('.hint code').textContent()).toBe("conv.utils.get_secret('Prod API Credentials')");
    await p.screenshot('create-name-advice-dark');
    await use.click();
    expect(await name.inputValue()).toBe('prod_api_credentials');
    expect(await advice.isVisible()).toBe(false);
    expect(await page.locator(':focus').getAttribute('id')).toBe(await name.getAttribute('id'));
    // The draft follows the button, as it follows typing.
    expect((await p.states()).at(-1)).toMatchObject({ name: 'prod_api_credentials' });

    // A conforming name that is taken is not offered; the advice still says why. ('Stripe API Key'
    // itself is a twin of stripe_api_key and refused; a '.' is no separator to the twin check.)
    await name.fill('Stripe.API.Key');
    expect(await problemOf(name)).toBeNull();
    expect(await advice.textContent()).toContain('snake_case (lower-case letters, digits and underscores) is advised');
    expect(await use.isVisible()).toBe(false);
    // Nothing left to convert (symbols only): advice without a button.
    await name.fill('€€€');
    expect(await problemOf(name)).toBeNull();
    expect(await use.isVisible()).toBe(false);
    // A conforming name gets no advice.
    await name.fill('github_token');
    expect(await advice.isVisible()).toBe(false);
  });

  test('a name that differs from an existing one only in case, spacing, _ or - is refused as you type, naming the existing one', async () => {
    const p = await open('createSecret', createData({ existingNames: ['stripe_api_key', 'Prod API Credentials'] }));
    const name = p.page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('Stripe_API_Key');
    expect(await problemOf(name)).toBe(
      "A secret named 'stripe_api_key' already exists: names that differ only in case, spacing, '_' or '-', or in letters that look alike are one name to a person. Use 'stripe_api_key' or choose another name.",
    );
    await name.fill('prod  api credentials');
    expect(await problemOf(name)).toContain("A secret named 'Prod API Credentials' already exists");
    // NFKC: full-width letters are the same name to a person.
    await name.fill('ＰＲＯＤ API Credentials');
    expect(await problemOf(name)).toContain("A secret named 'Prod API Credentials' already exists");
    await name.fill('Prod API Credentials');
    expect(await problemOf(name)).toBe("A secret named 'Prod API Credentials' already exists.");
    // _ and - are one separator with a space: the CLI's advised name is the same name to a person.
    await name.fill('prod-api-credentials');
    expect(await problemOf(name)).toContain("A secret named 'Prod API Credentials' already exists: names that differ only in case, spacing, '_' or '-', or in letters that look alike are one name");
    await name.fill('prod_api_credentials');
    expect(await problemOf(name)).toContain("A secret named 'Prod API Credentials' already exists");
    // A separator is never removed: a different name (did-you-mean territory, not a conflict).
    await name.fill('prodapi_credentials');
    expect(await problemOf(name)).toBeNull();
  });

  // One panel per name (each opens in about two seconds; all in one test ran past 30 s on a loaded machine).
  const unusualNames: Array<[string, string]> = [
    ['spaces', 'Prod API Credentials'],
    ['quotes', "Bob's \"quoted\" key"],
    ['backslashes', 'C:\\path\\key'],
    ['emoji', '🔑 payments key'],
    ['a combining mark', 'cafe\u0301 token'],
    ['right-to-left letters', 'مفتاح الدفع'],
    ['path and URL characters', 'a/../b?c=%41#d+e'],
    ['128 code points, the last an emoji', 'x'.repeat(127) + '🔑'],
  ];
  test.each(unusualNames)('a name with %s is accepted and submitted exactly', async (what, n) => {
    const p = await open('createSecret', createData());
    const { page } = p;
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill(n);
    expect(await problemOf(name), n).toBeNull();
    // The hint shows the read as code, the string still valid: ' and \ escaped.
    const shown = await page.locator('.field', { has: name }).locator('.hint code').textContent();
    expect(shown).toBe(`conv.utils.get_secret('${n.replace(/[\\']/g, (c) => `\\${c}`)}')`);
    await page.getByLabel('Value', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Create' }).click();
    const sent = (await p.waitForSent(2)) as { submission: { name: string } };
    expect(sent.submission.name, n).toBe(n);
    if (what === 'right-to-left letters') await p.screenshot('create-name-rtl-dark');
    // The name in the form's markup is text, never markup.
    expect(await page.locator('script:not([nonce])').count()).toBe(0);
  });

  test('a name of one code point too many (129) is refused, however it is encoded', async () => {
    const p = await open('createSecret', createData());
    const name = p.page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('🔑'.repeat(129));
    expect(await problemOf(name)).toBe('A secret name has at most 128 characters.');
  });

  test('an UPPER_CASE account refuses a name that controls a process, and warns before saving when a run injects a name only when opted into', async () => {
    const p = await open('createSecret', createData({ namingStyle: 'UPPER_CASE' }));
    const { page } = p;
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    const warning = page.locator('.field', { has: name }).locator('.name-warning');
    expect(await warning.isVisible()).toBe(false);
    for (const control of ['NODE_OPTIONS', 'PATH', 'LD_PRELOAD', 'PS0', 'LESSOPEN', 'RUSTC_WRAPPER', 'DOCKER_HOST', 'SECRETS_VAULT_URL']) {
      await name.fill(control);
      expect(await problemOf(name), control).toContain(`${control} controls how a process runs`);
      expect(await warning.isVisible(), control).toBe(false);
    }
    await page.getByLabel('Value', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Create' }).click();
    // Not sent: the form says why at the name.
    expect(await problemOf(name)).toContain('SECRETS_VAULT_URL controls how a process runs');
    await name.fill('DATABASE_URL');
    expect(await problemOf(name)).toBeNull();
    expect(await warning.isVisible()).toBe(true);
    expect(await warning.textContent()).toContain('DATABASE_URL would be skipped unless a run opts into it (list it in "inject" in secrets-vault.json');
    // Read with the field by a screen reader.
    expect(await name.getAttribute('aria-describedby')).toContain(await warning.getAttribute('id'));
    await p.page.screenshot({ path: 'test-results/inject-create-form-warning.png' });
    await name.fill('GITHUB_TOKEN');
    expect(await warning.isVisible()).toBe(false);
    await name.fill('DATABASE_URL');
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await p.waitForSent(2)).toMatchObject({ type: 'submit', submission: { form: 'create', name: 'DATABASE_URL' } });

    // A snake_case account has no environment to inject into: no warning for 'path'.
    const snake = await open('createSecret', createData());
    const snakeName = snake.page.getByRole('textbox', { name: 'Name', exact: true });
    await snakeName.fill('path');
    expect(await snake.page.locator('.field', { has: snakeName }).locator('.name-warning').isVisible()).toBe(false);
  });

  test('key rows: add, name, remove; focus stays in place and names follow the keys', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    expect(await page.getByLabel('Value', { exact: true }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Remove key 1' }).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'Key 1', exact: true }).fill('client_id');
    await page.getByRole('button', { name: 'Add key' }).click();
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Key 2');
    await page.keyboard.type('client_secret');
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.keyboard.type('tenant');
    expect(await page.getByLabel('Value of client_secret', { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Remove client_secret' }).click();
    const keys = await page.locator('.key-row input[type=text]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(keys).toEqual(['client_id', 'tenant']);
    // Focus moved to the row that took the removed one's place.
    expect(await page.locator(':focus').inputValue()).toBe('tenant');
    await page.getByRole('button', { name: 'Remove tenant' }).click();
    expect(await page.getByRole('button', { name: 'Remove client_id' }).isDisabled()).toBe(true);
  });

  test('key rows: each key has a Sensitive checkbox that follows its name as typed, can be changed, and is sent as a mark only where changed', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('oms_prod_api');
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    const sensitive = (i: number) => page.locator('.key-row').nth(i).getByRole('checkbox');
    const source = (i: number) => page.locator('.key-row').nth(i).locator('.sensitivity-source');
    // As the key is typed: an address is not sensitive by default, a credential is.
    const key1 = page.getByRole('textbox', { name: 'Key 1', exact: true });
    await key1.fill('BASE_URL');
    expect(await sensitive(0).isChecked()).toBe(false);
    await key1.pressSequentially('_TOKEN');
    expect(await sensitive(0).isChecked()).toBe(true);
    for (let i = 0; i < '_TOKEN'.length; i++) await key1.press('Backspace');
    expect(await sensitive(0).isChecked()).toBe(false);
    expect(await source(0).textContent()).toBe(' (default)');
    await page.getByLabel('Value of BASE_URL', { exact: true }).fill(VALUE_2);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.keyboard.type('API_KEY');
    expect(await sensitive(1).isChecked()).toBe(true);
    await page.getByLabel('Value of API_KEY', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.keyboard.type('ACCOUNT_ID');
    await page.getByLabel('Value of ACCOUNT_ID', { exact: true }).fill('acct-1');
    expect(await sensitive(2).isChecked()).toBe(false);
    // The accessible name says which key it is about.
    expect(await page.getByRole('checkbox', { name: 'ACCOUNT_ID: Sensitive (default)' }).count()).toBe(1);
    // The admin overrules the default for ACCOUNT_ID: a mark; ticking BASE_URL twice comes back to its default: none.
    await tick(sensitive(2), true);
    expect(await source(2).textContent()).toBe(' (marked)');
    await tick(sensitive(0), true);
    await tick(sensitive(0), false);
    expect(await source(0).textContent()).toBe(' (default)');
    // A marked key keeps its mark while its name changes.
    await page.getByRole('textbox', { name: 'Key 3', exact: true }).fill('ACCOUNT_NUMBER');
    expect(await sensitive(2).isChecked()).toBe(true);
    expect(await page.getByText('is not sensitive by default').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await p.waitForSent(2)).toEqual({
      type: 'submit',
      requestId: 1,
      submission: {
        form: 'create',
        name: 'oms_prod_api',
        description: '',
        value: { BASE_URL: VALUE_2, API_KEY: VALUE_1, ACCOUNT_NUMBER: 'acct-1' },
        agents: ['support-bot'],
        keySensitivity: { ACCOUNT_NUMBER: 'sensitive' },
      },
    });
    // The marks are in the draft (metadata); the values are not.
    expect(JSON.stringify(await p.states())).toContain('"marks":[null,null,"sensitive"]');
    await expectValuesOnlyInInputs(p, [VALUE_1, VALUE_2]);
  });

  test('a single value sends no marks, whatever the pairs held before the kind changed', async () => {
    const p = await open('createSecret', createData({ prefill: { name: 'mixed', keys: ['HOST'] } }));
    const { page } = p;
    await tick(page.locator('.key-row').nth(0).getByRole('checkbox'), true);
    await page.getByRole('radio', { name: /Single value/ }).check();
    await page.getByLabel('Value', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Create' }).click();
    const sent = (await p.waitForSent(2)) as { submission: object };
    expect(sent.submission).not.toHaveProperty('keySensitivity');
  });

  test('reveal toggle shows and masks a value', async () => {
    const p = await open('createSecret', createData());
    const value = p.page.getByLabel('Value', { exact: true });
    await value.fill(VALUE_1);
    expect(await value.getAttribute('type')).toBe('password');
    const toggle = p.page.getByRole('button', { name: 'Show value' });
    await toggle.click();
    expect(await value.getAttribute('type')).toBe('text');
    expect(await p.page.getByRole('button', { name: 'Hide value' }).getAttribute('aria-pressed')).toBe('true');
    await p.page.getByRole('button', { name: 'Hide value' }).click();
    expect(await value.getAttribute('type')).toBe('password');
  });

  test('agent checklist: filter, select all and none of what is shown, N of M count', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    const count = page.locator('.count');
    expect(await count.textContent()).toBe('1 of 5 agents');
    await page.getByRole('searchbox', { name: 'Filter' }).fill('billing');
    expect(await page.locator('.agents li:not([hidden])').count()).toBe(2);
    await page.getByRole('button', { name: 'Select all' }).click();
    expect(await count.textContent()).toBe('3 of 5 agents');
    await page.getByRole('searchbox', { name: 'Filter' }).fill('Onboarding ASSIST');
    expect(await page.locator('.agents li:not([hidden])').count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Filter' }).fill('');
    await page.getByRole('button', { name: 'Select none' }).click();
    expect(await count.textContent()).toBe('0 of 5 agents');
    await page.getByRole('searchbox', { name: 'Filter' }).fill('zzz');
    expect(await page.locator('.agents li:not([hidden])').count()).toBe(0);
    expect(await page.getByText("No agent matches 'zzz'.").isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Select all' }).click();
    expect(await count.textContent()).toBe('0 of 5 agents');
  });

  test('submits exactly what was typed, once, with a request id', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('github_app');
    await page.getByRole('textbox', { name: 'Description (optional)' }).fill('GitHub App of the release bot');
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    await page.getByRole('textbox', { name: 'Key 1', exact: true }).fill('client_id');
    await page.getByLabel('Value of client_id', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('textbox', { name: 'Key 2', exact: true }).fill('private_key');
    await page.getByLabel('Value of private_key', { exact: true }).fill(VALUE_2);
    await tick(page.getByRole('checkbox', { name: /research/ }));
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await p.waitForSent(2)).toEqual({
      type: 'submit',
      requestId: 1,
      submission: {
        form: 'create',
        name: 'github_app',
        description: 'GitHub App of the release bot',
        value: { client_id: VALUE_1, private_key: VALUE_2 },
        agents: ['support-bot', 'research'],
      },
    });
    // In flight: the button waits for the answer.
    expect(await page.getByRole('button', { name: 'Create' }).isDisabled()).toBe(true);
    await p.deliver({ type: 'result', requestId: 1, ok: true });
    expect(await page.locator('form').getAttribute('aria-busy')).toBe('true');
    expect((await p.sent()).length).toBe(2);
    await expectValuesOnlyInInputs(p, [VALUE_1, VALUE_2]);
  });

  test('an invalid form is not sent: every problem shows in place and focus goes to the first', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await problemOf(page.getByRole('textbox', { name: 'Name', exact: true }))).toBe('A secret name cannot be empty.');
    expect(await problemOf(page.getByLabel('Value', { exact: true }))).toBe('A value cannot be empty.');
    expect(await page.locator(':focus').getAttribute('id')).toMatch(/^field-/);

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('pairs');
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    await page.getByRole('textbox', { name: 'Key 1', exact: true }).fill('9bad');
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('textbox', { name: 'Key 2', exact: true }).fill('dup');
    await page.getByLabel('Value of dup', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('textbox', { name: 'Key 3', exact: true }).fill('dup');
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await problemOf(page.getByRole('textbox', { name: 'Key 1', exact: true }))).toContain('A key starts with a letter or underscore');
    expect(await problemOf(page.getByLabel('Value of 9bad', { exact: true }))).toBe('Type a value for this key.');
    expect(await problemOf(page.getByRole('textbox', { name: 'Key 2', exact: true }))).toBeNull();
    expect(await problemOf(page.getByRole('textbox', { name: 'Key 3', exact: true }))).toBe("The key 'dup' appears more than once.");
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Key 1');
    expect(await p.sent()).toEqual([{ type: 'ready' }]);
  });

  test("the vault's errors show beside their fields, everything typed stays, and values stay only in their inputs", async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('crm_client');
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    await page.getByRole('textbox', { name: 'Key 1', exact: true }).fill('client_id');
    await page.getByLabel('Value of client_id', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('textbox', { name: 'Key 2', exact: true }).fill('client_secret');
    await page.getByLabel('Value of client_secret', { exact: true }).fill(VALUE_2);
    await page.getByRole('button', { name: 'Show value of client_secret' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await p.waitForSent(2);

    await p.deliver({ type: 'result', requestId: 1, ok: false, problem: { code: 'invalid_value', field: 'value.client_secret', message: 'This value is not accepted.' } });
    const secretValue = page.getByLabel('Value of client_secret', { exact: true });
    await page.locator('form[aria-busy=false]').waitFor();
    expect(await problemOf(secretValue)).toBe('This value is not accepted.');
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Value of client_secret');
    expect(await secretValue.inputValue()).toBe(VALUE_2);
    expect(await page.getByLabel('Value of client_id', { exact: true }).inputValue()).toBe(VALUE_1);
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('crm_client');
    await expectValuesOnlyInInputs(p, [VALUE_1, VALUE_2]);

    await page.getByRole('button', { name: 'Create' }).click();
    expect(await p.waitForSent(3)).toMatchObject({ type: 'submit', requestId: 2 });
    expect(await problemOf(secretValue)).toBeNull();
    await p.deliver({ type: 'result', requestId: 2, ok: false, problem: { code: 'conflict', field: 'name', message: "A secret named 'crm_client' already exists." } });
    await page.locator('.problem:not([hidden])').first().waitFor();
    expect(await problemOf(page.getByRole('textbox', { name: 'Name', exact: true }))).toBe("A secret named 'crm_client' already exists.");

    await page.getByRole('button', { name: 'Create' }).click();
    await p.waitForSent(4);
    await p.deliver({ type: 'result', requestId: 3, ok: false, problem: { code: 'forbidden', message: 'Only workspace admins can change secrets and access.' } });
    const banner = page.getByRole('alert');
    await banner.waitFor();
    expect(await banner.textContent()).toBe('Only workspace admins can change secrets and access.');
    // A reply for a request that is not pending changes nothing.
    await p.deliver({ type: 'result', requestId: 99, ok: false, problem: { code: 'x', field: 'name', message: 'stray' } });
    expect(await problemOf(page.getByRole('textbox', { name: 'Name', exact: true }))).toBeNull();
    await expectValuesOnlyInInputs(p, [VALUE_1, VALUE_2]);
    await p.screenshot('create-error-dark');
  });

  test('the quick fix opens it with the name and keys filled in, ready for the values', async () => {
    const p = await open('createSecret', createData({ prefill: { name: 'sendgrid', keys: ['api_key', 'from_address'] }, currentAgent: 'billing-bot' }));
    const { page } = p;
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('sendgrid');
    expect(await page.getByRole('radio', { name: /Key\/value pairs/ }).isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Key 2', exact: true }).inputValue()).toBe('from_address');
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Value of api_key');
    expect(await page.getByRole('checkbox', { name: /billing-bot/ }).isChecked()).toBe(true);
    expect(await page.locator('.count').textContent()).toBe('1 of 5 agents');
  });

  test('Move to vault opens it with the value from the editor filled in and masked, kept out of the draft, and submits it', async () => {
    const p = await open(
      'createSecret',
      createData({
        prefill: {
          name: 'stripe_key',
          description: 'Stripe secret key, moved out of functions/pay.py:12.',
          value: VALUE_1,
          moveFrom: {
            location: 'functions/pay.py:12',
            replacement: "conv.utils.get_secret('stripe_key')",
            note: 'functions/pay.py:12 is outside any function, where conv does not exist when the module loads: move the read into the function that receives conv.',
          },
        },
        currentAgent: 'billing-bot',
      }),
    );
    const { page } = p;
    const value = page.getByLabel('Value', { exact: true });
    expect(await value.getAttribute('type')).toBe('password');
    expect(await value.inputValue()).toBe(VALUE_1);
    expect(await page.getByRole('radio', { name: /Single value/ }).isChecked()).toBe(true);
    expect(await page.locator('.move-from').innerText()).toBe("From functions/pay.py:12. On Create, the literal there is replaced with conv.utils.get_secret('stripe_key').");
    expect(await page.locator('.move-note').innerText()).toBe('functions/pay.py:12 is outside any function, where conv does not exist when the module loads: move the read into the function that receives conv.');
    // Typing elsewhere saves a draft: it never holds the value.
    await page.getByRole('textbox', { name: 'Description (optional)' }).fill('Stripe key for refunds');
    expect((await p.states()).length).toBeGreaterThan(0);
    await expectValuesOnlyInInputs(p, [VALUE_1]);
    await p.screenshot('create-move-to-vault');
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await p.waitForSent(2)).toEqual({
      type: 'submit',
      requestId: 1,
      submission: { form: 'create', name: 'stripe_key', description: 'Stripe key for refunds', value: VALUE_1, agents: ['billing-bot'] },
    });
  });

  test('Cancel asks the host to close', async () => {
    const p = await open('createSecret', createData());
    await p.page.getByRole('button', { name: 'Cancel' }).click();
    expect(await p.waitForSent(2)).toEqual({ type: 'cancel' });
  });

  test('keyboard: Tab reaches every control in order, and every control has a name', async () => {
    const p = await open('createSecret', createData({ prefill: { keys: ['a', 'b'] } }));
    const { page } = p;
    expect(await tabOrder(page)).toEqual(await allControls(page));
    expect(await unnamedControls(page)).toEqual([]);
    // Arrows switch the kind; Space ticks an agent.
    await page.getByRole('radio', { name: /Key\/value pairs/ }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('radio', { name: /Single value/ }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: /research/ }).focus();
    await page.keyboard.press('Space');
    expect(await page.locator('.count').textContent()).toBe('2 of 5 agents');
    expect(await page.getByRole('checkbox', { name: /research/ }).isChecked()).toBe(true);
    await page.keyboard.press('Space');
    expect(await page.locator('.count').textContent()).toBe('1 of 5 agents');
  });

  test('the checkboxes are VS Code’s (@vscode-elements) and the radios are drawn as VS Code draws them', async () => {
    const { page } = await open('createSecret', createData());
    // Every agent's checkbox is the library's element, defined, with its label inside it.
    const boxes = await page.locator('.agents li').evaluateAll((lis) =>
      lis.map((li) => {
        const el = li.firstElementChild as unknown as { tagName: string; checked: boolean; textContent: string } | null;
        return el === null ? null : { tag: el.tagName, checked: el.checked, label: el.textContent };
      }),
    );
    expect(boxes).toEqual([
      { tag: 'VSCODE-CHECKBOX', checked: true, label: 'Support bot support-bot current' },
      { tag: 'VSCODE-CHECKBOX', checked: false, label: 'Billing bot billing-bot' },
      { tag: 'VSCODE-CHECKBOX', checked: false, label: 'Billing reports billing-reports' },
      { tag: 'VSCODE-CHECKBOX', checked: false, label: 'Onboarding assistant onboarding' },
      { tag: 'VSCODE-CHECKBOX', checked: false, label: 'research' },
    ]);
    expect(await page.evaluate(() => (globalThis as unknown as { customElements: { get(n: string): unknown } }).customElements.get('vscode-checkbox') !== undefined)).toBe(true);
    // A click on the element, where a person clicks, ticks it and counts it.
    await page.locator('vscode-checkbox[value="billing-bot"]').click();
    expect(await page.getByRole('checkbox', { name: /billing-bot/ }).isChecked()).toBe(true);
    expect(await page.locator('.count').textContent()).toBe('2 of 5 agents');
    // Radios keep their role for assistive technology, without the browser's own drawing.
    const radio = page.getByRole('radio', { name: /Single value/ });
    expect(await radio.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { appearance: string } }).getComputedStyle(el).appearance)).toBe('none');
  });

  test('a hidden and re-shown panel keeps its draft, but never a value', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('draft_name');
    await page.getByRole('textbox', { name: 'Description (optional)' }).fill('kept across hide and show');
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    await page.getByRole('textbox', { name: 'Key 1', exact: true }).fill('token');
    await page.getByLabel('Value of token', { exact: true }).fill(VALUE_1);
    await tick(page.getByRole('checkbox', { name: /research/ }));
    await page.getByRole('searchbox', { name: 'Filter' }).fill('res');
    // VS Code discards a hidden webview that is not retained and loads it again when shown.
    await page.reload();
    expect(await p.waitForSent(1)).toEqual({ type: 'ready' });
    await p.deliver(init(createData()));
    await page.locator('form').waitFor();
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('draft_name');
    expect(await page.getByRole('textbox', { name: 'Description (optional)' }).inputValue()).toBe('kept across hide and show');
    expect(await page.getByRole('textbox', { name: 'Key 1', exact: true }).inputValue()).toBe('token');
    expect(await page.getByLabel('Value of token', { exact: true }).inputValue()).toBe('');
    expect(await page.getByRole('checkbox', { name: /research/ }).isChecked()).toBe(true);
    expect(await page.getByRole('searchbox', { name: 'Filter' }).inputValue()).toBe('res');
    expect((await p.states()).length).toBeGreaterThan(3);
    await expectValuesOnlyInInputs(p, [VALUE_1]);
  });
});

describe('Edit Secret', () => {
  test('single value: name read-only, value empty means keep, and the form says so', async () => {
    const p = await open('editSecret', editData());
    const { page } = p;
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    expect(await name.inputValue()).toBe('stripe_api_key');
    expect(await name.getAttribute('readonly')).toBe('');
    const value = page.getByLabel('New value');
    expect(await value.inputValue()).toBe('');
    expect(await value.getAttribute('placeholder')).toBe('Unchanged');
    expect(await page.getByText('Leave empty to keep the current value.').isVisible()).toBe(true);
    expect(await page.locator('.subtitle').textContent()).toContain('metadata version 3,');
    await page.getByRole('textbox', { name: 'Description (optional)' }).fill('Stripe live key, refunds only');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(2)).toEqual({ type: 'submit', requestId: 1, submission: { form: 'edit', description: 'Stripe live key, refunds only' } });
    await p.deliver({ type: 'result', requestId: 1, ok: false, problem: { code: 'unreachable', message: 'Could not reach the vault at http://127.0.0.1:8787.' } });
    await page.getByRole('alert').waitFor();
    await value.fill(VALUE_1);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(3)).toEqual({
      type: 'submit',
      requestId: 2,
      submission: { form: 'edit', description: 'Stripe live key, refunds only', value: VALUE_1 },
    });
    await expectValuesOnlyInInputs(p, [VALUE_1]);
  });

  test('key/value: keys listed; keeping all values sends none; changing keys needs every value', async () => {
    const p = await open('editSecret', editData(CRM));
    const { page } = p;
    const keys = () => page.locator('.key-row input[type=text]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(await keys()).toEqual(['client_id', 'client_secret']);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(2)).toEqual({ type: 'submit', requestId: 1, submission: { form: 'edit', description: 'CRM OAuth client' } });
    await p.deliver({ type: 'result', requestId: 1, ok: false, problem: { code: 'internal', message: 'Try again.' } });
    await page.getByRole('alert').waitFor();

    await page.getByRole('button', { name: 'Remove client_secret' }).click();
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.keyboard.type('tenant');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await problemOf(page.getByLabel('Value of client_id', { exact: true }))).toBe('Type a value for this key: new values replace all pairs together.');
    expect(await problemOf(page.getByLabel('Value of tenant', { exact: true }))).toBe('Type a value for this key: new values replace all pairs together.');
    expect((await p.sent()).length).toBe(2);

    await page.getByLabel('Value of client_id', { exact: true }).fill(VALUE_1);
    await page.getByLabel('Value of tenant', { exact: true }).fill(VALUE_2);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(3)).toEqual({
      type: 'submit',
      requestId: 2,
      submission: { form: 'edit', description: 'CRM OAuth client', value: { client_id: VALUE_1, tenant: VALUE_2 } },
    });
    await expectValuesOnlyInInputs(p, [VALUE_1, VALUE_2]);
  });

  test('key/value: shows the stored marks and the defaults; a change of marks alone is sent without a value', async () => {
    const oms = secret({ name: 'oms_prod_api', kind: 'kv', keys: ['ACCOUNT_ID', 'API_KEY', 'BASE_URL'], keySensitivity: { ACCOUNT_ID: 'sensitive' }, version: 4 });
    const p = await open('editSecret', editData(oms));
    const { page } = p;
    const state = () =>
      page.locator('.key-row').evaluateAll((rows) =>
        rows.map((r) => [
          (r.querySelector('input[type=text]') as unknown as { value: string }).value,
          (r.querySelector('vscode-checkbox') as unknown as { checked: boolean }).checked,
          r.querySelector('.sensitivity-source')!.textContent!.trim(),
        ]),
      );
    expect(await state()).toEqual([
      ['ACCOUNT_ID', true, '(marked)'],
      ['API_KEY', true, '(default)'],
      ['BASE_URL', false, '(default)'],
    ]);
    // Nothing changed: no marks sent.
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(2)).toEqual({ type: 'submit', requestId: 1, submission: { form: 'edit', description: 'Stripe live key for refunds' } });
    await p.deliver({ type: 'result', requestId: 1, ok: false, problem: { code: 'internal', message: 'Try again.' } });
    await page.getByRole('alert').waitFor();
    // ACCOUNT_ID back to its default (its mark goes), BASE_URL marked sensitive.
    await tick(page.getByRole('checkbox', { name: /^ACCOUNT_ID: Sensitive/ }), false);
    await tick(page.getByRole('checkbox', { name: /^BASE_URL: Sensitive/ }), true);
    expect((await state()).map((r) => r[2])).toEqual(['(default)', '(default)', '(marked)']);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(3)).toEqual({
      type: 'submit',
      requestId: 2,
      submission: { form: 'edit', description: 'Stripe live key for refunds', keySensitivity: { BASE_URL: 'sensitive' } },
    });
    // The vault's problem about the marks shows under the pairs.
    await p.deliver({ type: 'result', requestId: 2, ok: false, problem: { code: 'bad_request', field: 'keySensitivity', message: "keySensitivity marks 'X'." } });
    expect(await page.locator('.key-editor > .problem').textContent()).toContain("keySensitivity marks 'X'.");
  });

  test('from the not-a-mapping quick fix: a single value starts as pairs with the key the code reads, and saving needs its value', async () => {
    const p = await open('editSecret', { ...editData(), asPairs: ['token'] });
    const { page } = p;
    const keys = () => page.locator('.key-row input[type=text]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(await keys()).toEqual(['token']);
    expect(await page.getByLabel('New value').count()).toBe(0);
    expect(await page.getByText('The code reads this secret as key/value pairs').isVisible()).toBe(true);
    await p.screenshot('editSecret-as-pairs');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await problemOf(page.getByLabel('Value of token', { exact: true }))).toBe('Type a value for this key: new values replace all pairs together.');
    await page.getByLabel('Value of token', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(2)).toMatchObject({ type: 'submit', requestId: 1, submission: { form: 'edit', value: { token: VALUE_1 } } });
    await expectValuesOnlyInInputs(p, [VALUE_1]);
    // A key/value secret ignores it.
    const kv = await open('editSecret', { ...editData(CRM), asPairs: ['token'] });
    expect(await kv.page.locator('.key-row input[type=text]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).toEqual(['client_id', 'client_secret']);
  });

  test('a 412 says the secret changed since the form opened and offers to reload', async () => {
    const p = await open('editSecret', editData(CRM));
    const { page } = p;
    await page.getByRole('textbox', { name: 'Description (optional)' }).fill('mine');
    await page.getByRole('button', { name: 'Save' }).click();
    await p.waitForSent(2);
    await p.deliver({ type: 'conflict', requestId: 1, currentVersion: 8 });
    const banner = page.getByRole('alert');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('This secret was changed since this form opened (it is now at version 8)');
    expect(await page.locator(':focus').textContent()).toBe('Reload');
    expect(await page.getByRole('textbox', { name: 'Description (optional)' }).inputValue()).toBe('mine');
    await p.screenshot('editSecret-conflict-dark');
    await page.getByRole('button', { name: 'Reload' }).click();
    expect(await p.waitForSent(3)).toEqual({ type: 'reload' });
    await p.deliver(init(editData({ ...CRM, version: 8, description: 'changed by bob', keys: ['client_id', 'client_secret', 'scope'] })));
    // The banner also says "version 8": wait for the reloaded form (the banner gone), not for that text.
    await banner.waitFor({ state: 'detached' });
    await page.getByText('version 8', { exact: false }).first().waitFor();
    expect(await page.getByRole('textbox', { name: 'Description (optional)' }).inputValue()).toBe('changed by bob');
    expect(await page.locator('.key-row').count()).toBe(3);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  test('invisible characters a vault held before it refused them show as escapes', async () => {
    // A description held before the API refused them: a zero-width space, a tag character spelling a
    // hidden 'A', a BOM. Names and keys are ASCII today; the form escapes them the same way for when
    // they are not.
    const held = secret({ description: 'Stripe\u200b key\u{e0041}\ufeff', version: 4 });
    const p = await open('editSecret', editData(held));
    const { page } = p;
    const description = page.getByRole('textbox', { name: 'Description (optional)' });
    expect(await description.inputValue()).toBe('Stripe\\u200b key\\u{e0041}\\ufeff');
    await page.getByRole('button', { name: 'Save' }).click();
    // Saved as shown: visible text the vault accepts, instead of a 400 on text nobody can see.
    expect(await p.waitForSent(2)).toEqual({ type: 'submit', requestId: 1, submission: { form: 'edit', description: 'Stripe\\u200b key\\u{e0041}\\ufeff' } });

    const kv = await open('editSecret', editData(secret({ name: 'crm\u200b_oauth', kind: 'kv', keys: ['client\u200did', 'scope'] })));
    expect(await kv.page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('crm\\u200b_oauth');
    const keys = await kv.page.locator('.key-row input[type=text]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(keys).toEqual(['client\\u200did', 'scope']);

    const a = await open('editAccess', accessData(CRM, { agents: [...AGENTS, { id: 'ops', name: 'Ops\u200b bot' }] }));
    const text = await a.page.evaluate(() => (globalThis as unknown as PageGlobals).document.body.innerText);
    expect(text).toContain('Ops\\u200b bot');
    expect(/[\u200b-\u200f\ufeff]/u.test(text)).toBe(false);
  });

  test('a failed load says why and retries with reload', async () => {
    const p = await openPanel(browser, served, 'editSecret');
    pages.push(p);
    await p.waitForSent(1);
    await p.deliver({ type: 'loadFailed', message: "The secret 'gone' no longer exists." });
    await p.page.getByRole('alert').waitFor();
    expect(await p.page.getByRole('alert').textContent()).toBe("The secret 'gone' no longer exists.");
    await p.page.getByRole('button', { name: 'Retry' }).click();
    expect(await p.waitForSent(2)).toEqual({ type: 'reload' });
  });
});

describe('a secret’s life in the forms', () => {
  const DAY = 86_400_000;
  /** yyyy-mm-dd, `days` from today (UTC). */
  const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

  test('Create: an optional expiry date and rotation reminder, checked in place, sent only when set', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    const expires = page.getByLabel('Expires (optional)');
    const rotation = page.getByRole('textbox', { name: 'Rotation reminder (days, optional)' });
    expect(await expires.getAttribute('type')).toBe('date');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('partner_token');
    await page.getByLabel('Value', { exact: true }).fill(VALUE_1);
    // Wrong in both: neither goes out; each field says why, focus on the first.
    await expires.fill(dateIn(-1));
    await rotation.fill('1.5');
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await problemOf(expires)).toBe('Pick a date after today: from that day on, run-time reads of the secret are refused.');
    expect(await problemOf(rotation)).toBe('Enter a whole number of days from 1 to 3650, or leave it empty for no reminder.');
    expect(await expires.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('type'))).toBe('date');
    await rotation.fill('0');
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await problemOf(rotation)).toContain('from 1 to 3650');
    expect((await p.sent()).length).toBe(1);
    // Fixed: the problems go as you type, and the submit carries the day at 00:00 UTC and the days.
    const day = dateIn(30);
    await expires.fill(day);
    await rotation.fill('90');
    expect(await problemOf(rotation)).toBeNull();
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await p.waitForSent(2)).toEqual({
      type: 'submit',
      requestId: 1,
      submission: { form: 'create', name: 'partner_token', description: '', value: VALUE_1, agents: ['support-bot'], expiresAt: `${day}T00:00:00.000Z`, rotationDays: 90 },
    });
    await expectValuesOnlyInInputs(p, [VALUE_1]);
  });

  test('Create: a hidden and re-shown panel keeps the expiry and reminder typed, never the value', async () => {
    const p = await open('createSecret', createData());
    const { page } = p;
    const day = dateIn(10);
    await page.getByLabel('Value', { exact: true }).fill(VALUE_2);
    await page.getByLabel('Expires (optional)').fill(day);
    await page.getByRole('textbox', { name: 'Rotation reminder (days, optional)' }).fill('30');
    await page.reload();
    expect(await p.waitForSent(1)).toEqual({ type: 'ready' });
    await p.deliver(init(createData()));
    await page.locator('form').waitFor();
    expect(await page.getByLabel('Expires (optional)').inputValue()).toBe(day);
    expect(await page.getByRole('textbox', { name: 'Rotation reminder (days, optional)' }).inputValue()).toBe('30');
    expect(await page.getByLabel('Value', { exact: true }).inputValue()).toBe('');
    await expectValuesOnlyInInputs(p, [VALUE_2]);
  });

  test('Edit: says when and by whom the value last changed, shows the stored expiry and reminder, sends only what changed', async () => {
    const stored = secret({
      valueVersion: 4,
      valueUpdatedAt: new Date(Date.now() - 3 * DAY - 60_000).toISOString(),
      valueUpdatedBy: 'Demo admin',
      // Past already: the form leaves it alone unless it is changed.
      expiresAt: '2026-01-01T00:00:00.000Z',
      rotationDays: 90,
    });
    const p = await open('editSecret', { ...editData(stored), locale: 'en-US' });
    const { page } = p;
    expect(await page.locator('.value-changed').textContent()).toBe('Value last changed 3 days ago by Demo admin (value version 4).');
    // The date in the locale the host passes (VS Code's display language): dateStyle medium with the time.
    expect(await page.locator('.subtitle').textContent()).toMatch(/ · single value · metadata version 3, updated Nov 20, 2026, \d{1,2}:30\s?[AP]M by alice$/);
    await p.screenshot('editSecret-versions');
    const german = await open('editSecret', { ...editData(stored), locale: 'de' });
    expect(await german.page.locator('.subtitle').textContent()).toMatch(/updated 20\.11\.2026, \d\d:30 by alice$/);
    // Without a locale (no host said one): ISO, never the browser's own format.
    const plain = await open('editSecret', editData(stored));
    expect(await plain.page.locator('.subtitle').textContent()).toMatch(/updated 2026-11-20 10:30 UTC by alice$/);
    const expires = page.getByLabel('Expires (optional)');
    const rotation = page.getByRole('textbox', { name: 'Rotation reminder (days, optional)' });
    expect(await expires.inputValue()).toBe('2026-01-01');
    expect(await rotation.inputValue()).toBe('90');
    // Nothing changed there: neither is sent (nor is the past expiry refused).
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(2)).toEqual({ type: 'submit', requestId: 1, submission: { form: 'edit', description: stored.description } });
    await p.deliver({ type: 'result', requestId: 1, ok: false, problem: { code: 'internal', message: 'Try again.' } });
    await page.getByRole('alert').waitFor();
    // The reminder changed only: the old expiry still is not checked.
    await rotation.fill('30');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(3)).toEqual({ type: 'submit', requestId: 2, submission: { form: 'edit', description: stored.description, rotationDays: 30 } });
    await p.deliver({ type: 'result', requestId: 2, ok: false, problem: { code: 'invalid', field: 'expiresAt', message: 'The vault says no.' } });
    // A vault problem about a lifecycle field shows beside it (once the page has taken the message in).
    await page.locator('.problem:not([hidden])').first().waitFor();
    expect(await problemOf(expires)).toBe('The vault says no.');
    // Emptied: cleared (null); a new date: that day.
    await expires.fill('');
    await rotation.fill('');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(4)).toEqual({ type: 'submit', requestId: 3, submission: { form: 'edit', description: stored.description, expiresAt: null, rotationDays: null } });
  });

  test('Edit: a secret without any of it shows empty fields and no "last changed" line', async () => {
    const p = await open('editSecret', editData(CRM));
    expect(await p.page.locator('.value-changed').count()).toBe(0);
    expect(await p.page.getByLabel('Expires (optional)').inputValue()).toBe('');
    expect(await p.page.getByRole('textbox', { name: 'Rotation reminder (days, optional)' }).inputValue()).toBe('');
    await p.page.getByRole('textbox', { name: 'Rotation reminder (days, optional)' }).fill('abc');
    await p.page.getByRole('button', { name: 'Save' }).click();
    expect(await problemOf(p.page.getByRole('textbox', { name: 'Rotation reminder (days, optional)' }))).toContain('whole number of days');
    expect((await p.sent()).length).toBe(1);
  });

  test('the host accepts the fields only well-formed (the webview is untrusted)', async () => {
    const { parseWebviewMessage } = await import('../../protocol/webview');
    const create = { form: 'create', name: 'x', description: '', value: 'v', agents: [] };
    const submit = (submission: object) => parseWebviewMessage({ type: 'submit', requestId: 1, submission });
    expect(submit({ ...create, expiresAt: '2030-01-01T00:00:00.000Z', rotationDays: 7 })).toBeDefined();
    expect(submit({ ...create, expiresAt: 'soon' })).toBeUndefined();
    expect(submit({ ...create, expiresAt: null })).toBeUndefined();
    expect(submit({ ...create, rotationDays: 0 })).toBeUndefined();
    expect(submit({ ...create, rotationDays: 3651 })).toBeUndefined();
    expect(submit({ form: 'edit', description: '', expiresAt: null, rotationDays: null })).toEqual({
      type: 'submit',
      requestId: 1,
      submission: { form: 'edit', description: '', expiresAt: null, rotationDays: null },
    });
    expect(submit({ form: 'edit', description: '', rotationDays: '30' })).toBeUndefined();
    // Marks: an object of the two marks, nothing else.
    expect(submit({ ...create, keySensitivity: { BASE_URL: 'not-sensitive' } })).toMatchObject({ submission: { keySensitivity: { BASE_URL: 'not-sensitive' } } });
    expect(submit({ form: 'edit', description: '', keySensitivity: {} })).toMatchObject({ submission: { keySensitivity: {} } });
    expect(submit({ ...create, keySensitivity: { BASE_URL: 'public' } })).toBeUndefined();
    expect(submit({ ...create, keySensitivity: ['BASE_URL'] })).toBeUndefined();
    expect(submit({ form: 'edit', description: '', keySensitivity: null })).toBeUndefined();
    expect(submit({ ...create, keySensitivity: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'sensitive'])) })).toBeUndefined();
  });
});

describe('Edit Access', () => {
  test('every agent with a checkbox, N of M, a least-privilege hint that follows the choice, Save sends the list', async () => {
    const p = await open('editAccess', accessData());
    const { page } = p;
    expect(await page.getByRole('checkbox').count()).toBe(AGENTS.length);
    expect(await page.locator('.count').textContent()).toBe('2 of 5 agents');
    const hint = page.locator('.least-privilege');
    expect(await hint.textContent()).toBe("Least privilege: grant only the agents whose functions read conv.utils.get_secret('crm_oauth'). Changes take effect immediately.");
    await page.getByRole('button', { name: 'Select all' }).click();
    expect(await page.locator('.count').textContent()).toBe('5 of 5 agents');
    expect(await hint.textContent()).toContain('Every agent can read this secret.');
    await page.getByRole('button', { name: 'Select none' }).click();
    expect(await hint.textContent()).toBe("No agent can read this secret: every conv.utils.get_secret('crm_oauth') will fail.");
    await page.getByRole('searchbox', { name: 'Filter' }).fill('bot');
    expect(await page.locator('.agents li:not([hidden])').count()).toBe(2);
    await page.getByRole('button', { name: 'Select all' }).click();
    await page.getByRole('searchbox', { name: 'Filter' }).fill('');
    await tick(page.getByRole('checkbox', { name: /research/ }));
    expect(await page.locator('.count').textContent()).toBe('3 of 5 agents');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await p.waitForSent(2)).toEqual({ type: 'submit', requestId: 1, submission: { form: 'access', agents: ['support-bot', 'billing-bot', 'research'] } });
    await p.deliver({ type: 'result', requestId: 1, ok: false, problem: { code: 'bad_request', field: 'agents', message: "Unknown agent 'research'." } });
    await page.locator('.problem:not([hidden])').first().waitFor();
    expect(await page.locator('.agent-list .problem').textContent()).toBe("Unknown agent 'research'.");
    expect(await p.states()).not.toHaveLength(0);
  });

  test('agents on the list that the account no longer has stay visible and ticked', async () => {
    const p = await open('editAccess', accessData({ ...CRM, agents: ['billing-bot', 'retired-bot'] }));
    const ghost = p.page.getByRole('checkbox', { name: /retired-bot/ });
    expect(await ghost.isChecked()).toBe(true);
    expect(await p.page.locator('vscode-checkbox[value="retired-bot"]').textContent()).toContain('no longer in the account');
    expect(await p.page.locator('.count').textContent()).toBe('2 of 6 agents');
  });

  test('keyboard and names', async () => {
    const e = await open('editSecret', editData(CRM));
    expect(await tabOrder(e.page)).toEqual(await allControls(e.page));
    expect(await unnamedControls(e.page)).toEqual([]);
    const p = await open('editAccess', accessData());
    expect(await tabOrder(p.page)).toEqual(await allControls(p.page));
    expect(await unnamedControls(p.page)).toEqual([]);
  });
});

describe('Content Security Policy', () => {
  test('the page carries the host CSP with a fresh nonce per render, and loads without a violation', async () => {
    const before = served.nonces.length;
    const a = await open('editAccess', accessData());
    const b = await open('editSecret', editData());
    const nonces = served.nonces.slice(before);
    expect(nonces).toHaveLength(2);
    expect(nonces[0]).not.toBe(nonces[1]);
    const csp = await b.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toBe(contentSecurityPolicy(nonces[1]!));
    expect(csp).toMatch(/^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]{24}'; base-uri 'none'; form-action 'none'$/);
    // The constructed stylesheet applies under this CSP: theme colours reach the page.
    expect(await b.page.evaluate(() => { const g = globalThis as unknown as PageGlobals; return g.getComputedStyle(g.document.body).backgroundColor; })).toBe('rgb(31, 31, 31)');
    expect(await b.page.evaluate(() => { const g = globalThis as unknown as PageGlobals; return g.getComputedStyle(g.document.querySelector('button.primary')!).backgroundColor; })).toBe('rgb(0, 120, 212)');
    expect(await a.violations()).toEqual([]);
    expect(await b.violations()).toEqual([]);
  });

  test('an injected inline script, a script without the nonce and markup in data do not run', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const p = await open('editAccess', accessData({ ...CRM, description: evil }, { agents: [...AGENTS, { id: 'evil', name: evil }] }));
    const { page } = p;
    expect(await page.getByRole('checkbox', { name: /evil/ }).count()).toBe(1);
    expect(await page.locator('.agents').textContent()).toContain(evil);
    await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      const inline = document.createElement('script');
      inline.textContent = 'window.__pwned = 2';
      document.body.appendChild(inline);
      const external = document.createElement('script');
      external.src = '/dist/editAccess.js';
      document.body.appendChild(external);
      const handler = document.createElement('div');
      handler.innerHTML = '<img src="data:," onerror="window.__pwned = 3">';
      document.body.appendChild(handler);
    });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__cspViolations.length >= 3);
    const violations = await p.violations();
    expect(violations.some((v) => v.startsWith('script-src-elem inline'))).toBe(true);
    expect(violations.some((v) => v.startsWith('script-src-elem') && v.endsWith('/dist/editAccess.js'))).toBe(true);
    expect(violations.some((v) => v.startsWith('img-src'))).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
    // The second copy of the bundle would have said `ready` again.
    expect(await p.sent()).toEqual([{ type: 'ready' }]);
  });
});

describe('screenshots', () => {
  // One test per panel and theme: a screenshot takes a slow machine's Chromium a few seconds.
  type Theme = 'light' | 'dark' | 'high-contrast';
  const createWithKeys = async (theme: Theme) => {
    const c = await open('createSecret', createData({ prefill: { name: 'Sendgrid', keys: ['api_key', 'from_address'] } }), { theme });
    await c.page.getByLabel('Value of api_key', { exact: true }).fill(VALUE_1);
    await c.page.getByRole('button', { name: 'Show value of api_key' }).click();
    await c.page.getByRole('searchbox', { name: 'Filter' }).focus();
    await c.screenshot(`createSecret-${theme}`);
  };
  const panels: Array<[string, (theme: Theme) => Promise<unknown>]> = [
    ['Create Secret with keys, a value shown', createWithKeys],
    ['Create Secret with one value', async (theme) => (await open('createSecret', createData(), { theme })).screenshot(`createSecret-single-${theme}`)],
    ['Edit Secret with keys', async (theme) => (await open('editSecret', editData(CRM), { theme })).screenshot(`editSecret-kv-${theme}`)],
    ['Edit Secret with one value', async (theme) => (await open('editSecret', editData(secret()), { theme })).screenshot(`editSecret-single-${theme}`)],
    [
      'Edit Access, all selected',
      async (theme) => {
        const a = await open('editAccess', accessData(), { theme });
        await a.page.getByRole('button', { name: 'Select all' }).click();
        await a.screenshot(`editAccess-${theme}`);
      },
    ],
  ];
  for (const theme of ['light', 'dark'] as const) {
    for (const [title, shoot] of panels) test(`${title}, in ${theme}`, () => shoot(theme));
  }
  test('Create Secret in high contrast', () => createWithKeys('high-contrast'));
  test('Create Secret with a BASE_URL and an API_KEY: the Sensitive column shows the defaults', async () => {
    const c = await open('createSecret', createData({ prefill: { name: 'oms_prod_api', keys: ['BASE_URL', 'API_KEY'] } }), { theme: 'dark' });
    await c.page.getByLabel('Value of BASE_URL', { exact: true }).fill('https://oms.example.test');
    await c.page.getByRole('button', { name: 'Show value of BASE_URL' }).click();
    await c.page.getByLabel('Value of API_KEY', { exact: true }).fill(VALUE_1);
    await c.page.getByRole('searchbox', { name: 'Filter' }).focus();
    await c.screenshot('createSecret-sensitivity-dark');
    expect(await c.page.locator('.key-row vscode-checkbox').evaluateAll((b) => b.map((x) => (x as unknown as { checked: boolean }).checked))).toEqual([false, true]);
  });
  test('a narrow editor group: nothing overflows sideways', async () => {
    const narrow = await open('createSecret', createData({ prefill: { name: 'a_rather_long_secret_name_for_a_narrow_panel', keys: ['client_id'] } }), { theme: 'dark', width: 360 });
    await narrow.page.getByRole('textbox', { name: 'Description (optional)' }).fill('x');
    await narrow.screenshot('createSecret-narrow-dark');
    expect(await narrow.page.evaluate(() => { const d = (globalThis as unknown as PageGlobals).document.documentElement as unknown as { scrollWidth: number; clientWidth: number }; return d.scrollWidth <= d.clientWidth; })).toBe(true);
  });
});

describe('the whole loop: page, host controller, real vault', () => {
  let tv: TestVault;

  beforeAll(async () => {
    tv = await startTestVault();
    const api = tv.api();
    await api.createAgent({ id: 'support-bot', name: 'Support bot' });
    await api.createAgent({ id: 'billing-bot', name: 'Billing bot' });
    await api.createSecret({ name: 'openai_key', value: 'sk-existing', agents: ['support-bot'] });
  });

  afterAll(async () => {
    await tv?.stop();
  });

  /** Opens `panel` wired to a PanelController over the real vault, as SecretPanels wires it in VS Code. */
  async function connect(panel: PanelName, target: FormTarget) {
    const events = { closed: 0, changed: [] as string[], logs: [] as string[] };
    const done: Promise<void>[] = [];
    let post: (m: HostToWebview) => void = () => undefined;
    const controller = new PanelController(
      target,
      { post: (m) => post(m), close: () => (events.closed += 1) },
      {
        session: async () => ({ api: tv.api(), namingStyle: 'snake_case', currentAgent: 'support-bot' }),
        onDidChange: (s) => events.changed.push(`${s.name}@${s.version}`),
        log: (l) => events.logs.push(l),
      },
    );
    // The relay exists before the page loads, so its own `ready` starts the conversation.
    const p = await openPanel(browser, served, panel, {
      theme: 'light',
      beforeLoad: (page) => {
        post = (m) => void page.evaluate((msg) => (globalThis as unknown as PageGlobals).postMessage(msg, '*'), m).catch(() => undefined);
        return page.exposeFunction('__toHost', (m: unknown) => void done.push(controller.receive(m)));
      },
    });
    pages.push(p);
    await p.page.locator('form').waitFor();
    return { p, events, settle: () => Promise.all(done) };
  }

  test('create: typed in the page, stored in the vault, panel closed, value nowhere else', async () => {
    const { p, events, settle } = await connect('createSecret', { form: 'create' });
    const { page } = p;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('openai_key');
    expect(await problemOf(page.getByRole('textbox', { name: 'Name', exact: true }))).toBe("A secret named 'openai_key' already exists.");
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('github_app');
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    await page.getByRole('textbox', { name: 'Key 1', exact: true }).fill('client_id');
    await page.getByLabel('Value of client_id', { exact: true }).fill(VALUE_1);
    await tick(page.getByRole('checkbox', { name: /billing-bot/ }));
    await page.getByRole('button', { name: 'Create' }).click();
    await p.waitForSent(2);
    await settle();
    expect(events.closed).toBe(1);
    expect(events.changed).toEqual(['github_app@1']);
    const meta = await tv.api().getSecret('github_app');
    expect(meta).toMatchObject({ kind: 'kv', keys: ['client_id'], agents: ['billing-bot', 'support-bot'] });
    const token = (await tv.api().createAgentToken('billing-bot')).token;
    expect((await tv.api(token).runtimeSecret('github_app')).value).toEqual({ client_id: VALUE_1 });
    expect(JSON.stringify([events.logs, tv.logs])).not.toContain(VALUE_1);
    await expectValuesOnlyInInputs(p, [VALUE_1]);
  });

  test('create and edit marks on keys: the vault stores them, and a change of marks alone keeps the value', async () => {
    const { p, settle } = await connect('createSecret', { form: 'create' });
    const { page } = p;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('oms_api');
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    await page.getByRole('textbox', { name: 'Key 1', exact: true }).fill('BASE_URL');
    await page.getByLabel('Value of BASE_URL', { exact: true }).fill(VALUE_2);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.keyboard.type('REGION_CODE');
    await page.getByLabel('Value of REGION_CODE', { exact: true }).fill('eu-1');
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.keyboard.type('API_KEY');
    await page.getByLabel('Value of API_KEY', { exact: true }).fill(VALUE_1);
    // REGION_CODE's name does not say "configuration" ("code"): the admin clears Sensitive.
    await tick(page.getByRole('checkbox', { name: /^REGION_CODE: Sensitive/ }), false);
    await page.getByRole('button', { name: 'Create' }).click();
    await p.waitForSent(2);
    await settle();
    const meta = await tv.api().getSecret('oms_api');
    expect(meta).toMatchObject({ keys: ['API_KEY', 'BASE_URL', 'REGION_CODE'], keySensitivity: { REGION_CODE: 'not-sensitive' } });

    const edit = await connect('editSecret', { form: 'edit', name: 'oms_api' });
    await tick(edit.p.page.getByRole('checkbox', { name: /^BASE_URL: Sensitive/ }), true);
    await edit.p.page.getByRole('button', { name: 'Save' }).click();
    await edit.p.waitForSent(2);
    await edit.settle();
    expect(edit.events.closed).toBe(1);
    const after = await tv.api().getSecret('oms_api');
    expect(after).toMatchObject({ version: meta.version + 1, valueVersion: meta.valueVersion, keySensitivity: { BASE_URL: 'sensitive', REGION_CODE: 'not-sensitive' } });
    const token = (await tv.api().createAgentToken('support-bot')).token;
    expect((await tv.api(token).runtimeSecret('oms_api')).value).toEqual({ BASE_URL: VALUE_2, REGION_CODE: 'eu-1', API_KEY: VALUE_1 });
    expect(JSON.stringify([edit.events.logs, tv.logs])).not.toContain(VALUE_1);
  });

  /** The Create form as the extension's URI handler opens it for `link` (mcpProvider.ts), with the session's `key`. */
  function linkForm(link: string, key: Uint8Array): FormTarget {
    const u = new URL(link);
    const verdict = verifyCreateSecretLink(parseCreateSecretLink(u.pathname, u.search.slice(1))!, key, Date.now(), () => true);
    return { form: 'create', ...linkTarget(verdict) };
  }

  test("create from a link a page made: the form opens empty and says the link was not made by the assistant", async () => {
    const key = randomBytes(32);
    const { p } = await connect('createSecret', linkForm('vscode://secrets-vault.secrets-vault/create-secret?name=stripe_key&agent=billing-bot&key=sk&once=aaaaaaaaaaaaaaaaaaaaaaaa', key));
    const { page } = p;
    expect(await page.getByRole('status').innerText()).toBe('This link was not made by your Secrets Vault assistant: its fields were not filled in.');
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('');
    expect(await page.getByRole('radio', { name: /Single value/ }).isChecked()).toBe(true);
    // Only the workspace's agent is ticked, as from the palette: not the link's.
    expect(await page.getByRole('checkbox', { name: /billing-bot/ }).isChecked()).toBe(false);
    await p.screenshot('create-link-unsigned');
  });

  test('create from a link the assistant server signed: filled in, and the form says who proposed it and when', async () => {
    const key = randomBytes(32);
    const at = Date.now();
    const { p } = await connect('createSecret', linkForm(signedCreateSecretLink(key, { name: 'twilio_auth', agent: 'billing-bot', keys: ['sid', 'token'] }, at), key));
    const { page } = p;
    const time = new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    expect(await page.locator('.link-origin').innerText()).toBe(`Proposed by the assistant (MCP propose_secret) at ${time}. Check the name, the keys and the agents before you create it.`);
    expect(await page.getByRole('status').count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('twilio_auth');
    expect(await page.getByRole('textbox', { name: 'Key 2', exact: true }).inputValue()).toBe('token');
    expect(await page.getByRole('checkbox', { name: /billing-bot/ }).isChecked()).toBe(true);
    await p.screenshot('create-link-signed');
    // The same link with one field changed opens empty, saying so.
    const altered = signedCreateSecretLink(key, { name: 'twilio_auth' }, at).replace('name=twilio_auth', 'name=stripe_live');
    const { p: q } = await connect('createSecret', linkForm(altered, key));
    expect(await q.page.getByRole('status').innerText()).toContain('or was changed after: its fields were not filled in.');
    expect(await q.page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('');
  });

  test('create: a name as real accounts have it, for an Agent Studio agent shown by its display name, stored and read exactly', async () => {
    await tv.api().createAgent({ id: 'PROJECT-WEVYLLDV', name: 'Field Service Template' });
    const { p, events, settle } = await connect('createSecret', { form: 'create' });
    const { page } = p;
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('Prod API Credentials');
    expect(await problemOf(name)).toBeNull();
    expect(await page.locator('.name-advice').isVisible()).toBe(true);
    await page.getByRole('radio', { name: /Key\/value pairs/ }).check();
    await page.getByRole('textbox', { name: 'Key 1', exact: true }).fill('client_id');
    await page.getByLabel('Value of client_id', { exact: true }).fill(VALUE_1);
    // The access list shows the display name beside the id, which keeps its case.
    const box = page.getByRole('checkbox', { name: 'Field Service Template PROJECT-WEVYLLDV' });
    await tick(box);
    await page.getByRole('button', { name: 'Create' }).click();
    await p.waitForSent(2);
    await settle();
    expect(events.logs).toEqual([]);
    expect(events.closed).toBe(1);
    expect(events.changed).toEqual(['Prod API Credentials@1']);
    expect(await tv.api().getSecret('Prod API Credentials')).toMatchObject({ name: 'Prod API Credentials', agents: ['PROJECT-WEVYLLDV', 'support-bot'] });
    const token = (await tv.api().createAgentToken('PROJECT-WEVYLLDV')).token;
    expect((await tv.api(token).runtimeSecret('Prod API Credentials')).value).toEqual({ client_id: VALUE_1 });
    expect(JSON.stringify([events.logs, tv.logs])).not.toContain(VALUE_1);
    // The access test below counts the account's agents.
    await tv.api().deleteAgent('PROJECT-WEVYLLDV');
  });

  test("create: the vault's 409 for a case/spacing twin created after the form opened shows on the name, naming the existing secret", async () => {
    const { p, events, settle } = await connect('createSecret', { form: 'create' });
    const { page } = p;
    // Created elsewhere after the form loaded its list: only the vault can tell.
    await tv.api().createSecret({ name: 'Partner Token', value: 'tw-existing', agents: [] });
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    await name.fill('partner  TOKEN');
    expect(await problemOf(name)).toBeNull();
    await page.getByLabel('Value', { exact: true }).fill(VALUE_2);
    await page.getByRole('button', { name: 'Create' }).click();
    await p.waitForSent(2);
    await settle();
    await page.locator('form[aria-busy=false]').waitFor();
    expect(events.closed).toBe(0);
    const problem = await problemOf(name);
    expect(problem).toContain('Partner Token');
    expect(problem).not.toContain(VALUE_2);
    expect(await page.locator(':focus').getAttribute('id')).toBe(await name.getAttribute('id'));
    expect((await tv.api().listSecrets()).map((s) => s.name)).not.toContain('partner  TOKEN');
    expect(JSON.stringify([events.logs, tv.logs])).not.toContain(VALUE_2);
  });

  test('create and edit with an expiry and a reminder: the vault stores them, and clearing them clears them', async () => {
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const created = await connect('createSecret', { form: 'create' });
    const page = created.p.page;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('partner_api');
    await page.getByLabel('Value', { exact: true }).fill(VALUE_2);
    await page.getByLabel('Expires (optional)').fill(day);
    await page.getByRole('textbox', { name: 'Rotation reminder (days, optional)' }).fill('45');
    await page.getByRole('button', { name: 'Create' }).click();
    await created.p.waitForSent(2);
    await created.settle();
    expect(created.events.closed).toBe(1);
    expect(await tv.api().getSecret('partner_api')).toMatchObject({ expiresAt: `${day}T00:00:00.000Z`, rotationDays: 45, valueVersion: 1 });

    const edited = await connect('editSecret', { form: 'edit', name: 'partner_api' });
    expect(await edited.p.page.locator('.value-changed').textContent()).toMatch(/^Value last changed (just now|1 minute ago) by .+ \(value version 1\)\.$/);
    expect(await edited.p.page.getByLabel('Expires (optional)').inputValue()).toBe(day);
    await edited.p.page.getByLabel('Expires (optional)').fill('');
    await edited.p.page.getByRole('button', { name: 'Save' }).click();
    await edited.p.waitForSent(2);
    await edited.settle();
    expect(edited.events.closed).toBe(1);
    expect(await tv.api().getSecret('partner_api')).toMatchObject({ expiresAt: null, rotationDays: 45 });
    expect(JSON.stringify([created.events.logs, edited.events.logs, tv.logs])).not.toContain(VALUE_2);
  });

  test("edit: the vault's 412 shows the conflict banner; Reload loads the new version; Save then succeeds", async () => {
    await tv.api().createSecret({ name: 'crm_oauth', value: { client_id: 'a', client_secret: 'b' }, agents: ['support-bot'] });
    const { p, events, settle } = await connect('editSecret', { form: 'edit', name: 'crm_oauth' });
    const { page } = p;
    await tv.api().updateSecret('crm_oauth', { description: 'changed by bob' });
    await page.getByLabel('Value of client_secret', { exact: true }).fill(VALUE_2);
    await page.getByLabel('Value of client_id', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('it is now at version 2');
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByText('metadata version 2,', { exact: false }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Description (optional)' }).inputValue()).toBe('changed by bob');
    await page.getByLabel('Value of client_secret', { exact: true }).fill(VALUE_2);
    await page.getByLabel('Value of client_id', { exact: true }).fill(VALUE_1);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).__sent as { type: string }[]).filter((m) => m.type === 'submit').length === 2);
    await settle();
    expect(events.closed).toBe(1);
    expect(events.changed).toEqual(['crm_oauth@3']);
    const token = (await tv.api().createAgentToken('support-bot')).token;
    expect((await tv.api(token).runtimeSecret('crm_oauth')).value).toEqual({ client_id: VALUE_1, client_secret: VALUE_2 });
  });

  test("access: the vault's error about the list shows beside it; then Save replaces the list", async () => {
    const { p, events, settle } = await connect('editAccess', { form: 'access', name: 'openai_key' });
    const { page } = p;
    expect(await page.locator('.count').textContent()).toBe('1 of 2 agents');
    await tv.api().deleteAgent('billing-bot');
    await tick(page.getByRole('checkbox', { name: /billing-bot/ }));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.agent-list .problem:not([hidden])').waitFor();
    expect(await page.locator('.agent-list .problem').textContent()).toBe("Agent 'billing-bot' does not exist.");
    await tick(page.getByRole('checkbox', { name: /billing-bot/ }), false);
    await tick(page.getByRole('checkbox', { name: /support-bot/ }), false);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).__sent as { type: string }[]).filter((m) => m.type === 'submit').length === 2);
    await settle();
    expect(events.closed).toBe(1);
    expect((await tv.api().getSecret('openai_key')).agents).toEqual([]);
  });
});
