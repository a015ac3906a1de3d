// The walkthrough's steps as the extension marks them (client/src/core/walkthrough.ts): each step of
// package.json completes on exactly its own context key, which contextKeys.ts declares, and the
// workbench id the extension marks is the one the workbench builds from the manifest.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepsShown, TOUR_STEPS, tourContextKey, TourProgress, tourStepId, WALKTHROUGH_ID } from '../../client/src/core/walkthrough';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the walkthrough model', () => {
  it('names the steps of package.json, each completing on its own context key only', () => {
    const walkthrough = pkg.contributes.walkthroughs[0];
    expect(walkthrough.id).toBe(WALKTHROUGH_ID);
    expect(walkthrough.steps.map((s: { id: string }) => s.id)).toEqual([...TOUR_STEPS]);
    const declared = readFileSync(path.join(root, 'client/src/contextKeys.ts'), 'utf8');
    for (const step of walkthrough.steps as { id: (typeof TOUR_STEPS)[number]; completionEvents: string[] }[]) {
      expect(step.completionEvents).toEqual([`onContext:${tourContextKey(step.id)}`]);
      expect(declared).toContain(`'${tourContextKey(step.id)}'?: boolean;`);
    }
  });

  it('marks a step by the id the workbench gives it: publisher.name#walkthrough#step', () => {
    expect(tourStepId(`${pkg.publisher}.${pkg.name}`, 'run')).toBe('secrets-vault.secrets-vault#secretsVault.gettingStarted#run');
  });

  it('takes Connect from the connected state and the agent step from an agent, whatever made them', () => {
    expect(stepsShown({ state: 'signed-out', agent: null })).toEqual([]);
    expect(stepsShown({ state: 'connecting', agent: 'PROJECT-WEVYLLDV' })).toEqual(['agent']);
    expect(stepsShown({ state: 'connected', agent: null })).toEqual(['connect']);
    expect(stepsShown({ state: 'connected', agent: 'PROJECT-WEVYLLDV' })).toEqual(['connect', 'agent']);
  });

  it('sends each step once per window', () => {
    const progress = new TourProgress();
    expect(progress.take('fix')).toBe(true);
    expect(progress.take('fix')).toBe(false);
    expect(progress.has('fix')).toBe(true);
    expect(progress.has('run')).toBe(false);
    expect(progress.take('run')).toBe(true);
  });
});
