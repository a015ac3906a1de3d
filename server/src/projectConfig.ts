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
