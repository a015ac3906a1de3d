// Once per end-to-end run: build and package the VSIX that every scenario installs, so the tests
// drive the extension as it is in the working tree, not a stale package.
import { rmSync } from 'node:fs';
import { packageExtension } from '../../scripts/editor.mjs';
import { SHOTS } from './harness';

export default function setup(): void {
  // A run's screenshots are its own: none left over from an earlier run (a stale FAILED-… misleads).
  rmSync(SHOTS, { recursive: true, force: true });
  packageExtension((line) => console.log(line));
}
