// Which `agent_settings/experimental_config.json` files are an ADK project's configuration: those
// whose `agent_settings` folder sits in a folder holding `project.yaml` (the language service knows
// the file by its path only; the disk says whether it is a project's). Shared by the language
// server (open documents and the workspace index) and `secrets-vault check`.

import { statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_FILE } from '../../protocol/adkProject';
import { uriToPath } from './fileUris';

/** Whether the configuration file at `file` (a local path, or a `file:` URI) belongs to a project. */
export function isProjectConfig(file: string): boolean {
  const local = file.startsWith('file:') ? uriToPath(file) : file;
  if (local === undefined) return false;
  const project = path.dirname(path.dirname(local));
  try {
    return statSync(path.join(project, PROJECT_FILE)).isFile();
  } catch {
    return false;
  }
}

/**
 * The project root (as a URI spelled like `uri`) of a file placed as an ADK function is
 * (`functions/NAME.py`, `flows/FLOW/functions/NAME.py`, `flows/FLOW/function_steps/NAME.py`), when a
 * project.yaml is there on disk; null otherwise. One look at the disk per call, no walk: the Run /
 * Debug lenses ask it for the document they draw on, whatever agent a setting or a
 * secrets-vault.json chose for the folder.
 */
export function adkFunctionRoot(uri: string): string | null {
  if (!uri.startsWith('file:') || !uri.endsWith('.py')) return null;
  const parts = uri.split('/');
  const n = parts.length;
  let up = 0;
  if (parts[n - 2] === 'functions' && parts[n - 4] === 'flows') up = 4;
  else if (parts[n - 2] === 'function_steps' && parts[n - 4] === 'flows') up = 4;
  else if (parts[n - 2] === 'functions') up = 2;
  if (up === 0 || n - up < 1) return null;
  const root = parts.slice(0, n - up).join('/');
  const local = uriToPath(root);
  if (local === undefined) return null;
  try {
    if (statSync(path.join(local, PROJECT_FILE)).isFile()) return root;
  } catch {
    // no project.yaml there
  }
  // A flow's functions/ folder also ends in functions/: try the global form too.
  if (up === 4 && parts[n - 2] === 'functions') {
    const near = parts.slice(0, n - 2).join('/');
    const nearLocal = uriToPath(near);
    try {
      if (nearLocal !== undefined && statSync(path.join(nearLocal, PROJECT_FILE)).isFile()) return near;
    } catch {
      // none
    }
  }
  return null;
}
