// The environment chosen in the editor (client/src/core/environment.ts): how the setting's value is
// read, what the status bar item and the picker show, and what a run gets as conv.env.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentChoice, environmentPickItems, environmentStatus, runEnvironmentFor } from '../../client/src/core/environment';

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));

describe('the environment chosen in the editor', () => {
  it('reads the setting as one of all / sandbox / pre-release / live, pre_release and any case included, anything else as all', () => {
    expect(['all', 'sandbox', 'pre-release', 'live'].map(environmentChoice)).toEqual(['all', 'sandbox', 'pre-release', 'live']);
    expect(environmentChoice('pre_release')).toBe('pre-release');
    expect(environmentChoice(' Live ')).toBe('live');
    for (const v of ['', 'draft', 'production', undefined, null, 3, {}]) expect(environmentChoice(v), String(v)).toBe('all');
  });

  it('shows the choice in the status bar with the tooltip that says a click chooses', () => {
    expect(environmentStatus('live')).toEqual({
      text: '$(server-environment) live',
      tooltip: 'Secrets Vault checks the reads live makes; click to choose',
      label: 'Secrets Vault environment: live',
    });
    expect(environmentStatus('all').text).toBe('$(server-environment) all');
    expect(environmentStatus('all').tooltip).toBe('Secrets Vault checks the reads every environment makes; click to choose');
  });

  it('offers All environments and the three environments, the current one marked', () => {
    const items = environmentPickItems('live');
    expect(items.map((i) => i.label)).toEqual(['All environments', 'sandbox', 'pre-release', 'live']);
    expect(items.map((i) => i.choice)).toEqual(['all', 'sandbox', 'pre-release', 'live']);
    expect(items.filter((i) => i.description).map((i) => i.choice)).toEqual(['live']);
    expect(environmentPickItems('all').filter((i) => i.description).map((i) => i.choice)).toEqual(['all']);
  });

  it('runs with the chosen environment as conv.env, and with sandbox (saying so) when all are followed', () => {
    expect(runEnvironmentFor('live').env).toBe('live');
    expect(runEnvironmentFor('all')).toEqual({ env: 'sandbox', note: "conv.env is 'sandbox' (the editor checks all environments; a run uses sandbox)" });
  });

  it('is contributed as a window setting with the same values, default all, and a Choose Environment command', () => {
    const setting = pkg.contributes.configuration.properties['secretsVault.environment'];
    expect(setting).toMatchObject({ type: 'string', enum: ['all', 'sandbox', 'pre-release', 'live'], default: 'all', scope: 'window' });
    expect(setting.markdownDescription).toContain('conv.env');
    for (const v of setting.enum) expect(environmentChoice(v)).toBe(v);
    expect(pkg.contributes.commands.find((c: { command: string }) => c.command === 'secretsVault.pickEnvironment')).toMatchObject({ title: 'Choose Environment', category: 'Secrets Vault' });
  });
});
