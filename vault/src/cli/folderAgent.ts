// The agent of a folder as every tool decides it (protocol/adkProject.ts decidingSource): the nearest
// secrets-vault.json's "agent" (what Choose Agent writes), else the nearest project.yaml's
// project_id, else none. `secrets-vault run` uses it when --agent is not given.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE_CONFIG_FILE } from '../../../protocol/api';
import { agentOfConfig, decidingSource, PROJECT_FILE, projectFromManifest } from '../../../protocol/adkProject';
import { parseWorkspaceConfig } from '../../../protocol/guards';

export interface FolderAgent {
  agent: string;
  /** The file that named it. */
  from: string;
}

/** The agent of files in `dir`; null when no secrets-vault.json or project.yaml above it names one. */
export function folderAgent(dir: string): FolderAgent | null {
  let config: { agent: string | null; from: string } | null = null;
  let project: { agent: string | null; from: string } | null = null;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const configFile = path.join(d, WORKSPACE_CONFIG_FILE);
    if (config === null && existsSync(configFile)) config = { agent: agentOfConfig(parseWorkspaceConfig(readFileSync(configFile, 'utf8'), configFile)).agent, from: configFile };
    const projectFile = path.join(d, PROJECT_FILE);
    if (project === null && existsSync(projectFile)) {
      let manifest: unknown;
      try {
        manifest = parse(readFileSync(projectFile, 'utf8'));
      } catch {
        manifest = undefined;
      }
      const read = projectFromManifest(manifest);
      project = { agent: 'project' in read ? read.project.id : null, from: projectFile };
    }
    if ((config !== null && project !== null) || path.dirname(d) === d) break;
  }
  const decided = decidingSource(config, project);
  return decided !== null && decided.agent !== null ? { agent: decided.agent, from: decided.from } : null;
}
