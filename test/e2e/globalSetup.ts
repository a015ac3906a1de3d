// Once per end-to-end run: build and package the VSIX that every scenario installs, so the tests
// drive the extension as it is in the working tree, not a stale package.
import { packageExtension } from '../../scripts/editor.mjs';

export default function setup(): void {
  packageExtension((line) => console.log(line));
}
