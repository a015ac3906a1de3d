// The commands about ADK projects (core/projects.ts decides the words and the rules): Select Project
// (a quick pick of the workspace's projects that the Secrets view then follows), Create Agent from a
// project's project.yaml, and Copy Request for the others; projectNotices.ts asks and shows them.

import * as vscode from 'vscode';
import { agentsRequestNote, createProjectAgent as createAgentOf, isMissingAgent, projectLabel, projectPickItems, type ProjectEntry } from './core/projects';
import type { Ctx } from './ctx';
import { relativeFolder } from './projectNotices';


/** The project a command names: a tree item's or notification's root URI or project id, else the current one. */
function projectOf(ctx: Ctx, arg: unknown): ProjectEntry {
  const key = typeof arg === 'string' ? arg : undefined;
  const projects = ctx.folders.projects;
  const found = key === undefined ? ctx.current.project : (projects.find((p) => p.rootUri === key) ?? projects.find((p) => p.project.id === key) ?? null);
  if (!found) throw new Error(key === undefined ? 'The active file is not in an Agent Studio project (no project.yaml above it).' : `No project in this workspace is '${key}'.`);
  return found;
}

export async function selectProject(ctx: Ctx): Promise<void> {
  const projects = ctx.folders.projects;
  if (projects.length === 0) {
    void vscode.window.showInformationMessage('This workspace has no Agent Studio project (no project.yaml outside folders with an agent of their own).');
    return;
  }
  const current = ctx.current.project?.rootUri ?? null;
  const picked = await vscode.window.showQuickPick(projectPickItems(projects, current, relativeFolder), {
    title: 'Select Project',
    placeHolder: 'The project whose secrets the Secrets view shows',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  ctx.folders.pinProject(picked.rootUri);
  ctx.log.info(`Secrets view: the project at ${relativeFolder(picked.rootUri)}.`);
  ctx.render();
}

/** Several projects' roots (the workspace's notice), or one project as projectOf takes it. */
function projectsOf(ctx: Ctx, arg: unknown): ProjectEntry[] {
  return Array.isArray(arg) && arg.length > 0 ? arg.map((root: unknown) => projectOf(ctx, String(root))) : [projectOf(ctx, arg)];
}

/** Create Agent for one project, or for each of several (the workspace's notice). */
export async function createProjectAgent(ctx: Ctx, arg: unknown): Promise<void> {
  for (const entry of projectsOf(ctx, arg)) await createOne(ctx, entry);
}

/** POST /v1/agents with project.yaml's id and name; an agent made meanwhile by someone else is fine too. */
async function createOne(ctx: Ctx, entry: ProjectEntry): Promise<void> {
  const conn = ctx.requireConnected();
  const { project } = entry;
  if (!isMissingAgent(project.id, conn.metadata.agents)) {
    void vscode.window.showInformationMessage(`The vault already has the agent '${project.id}'.`);
    return;
  }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating the agent '${project.id}'…` }, () =>
    createAgentOf(conn.api, project),
  );
  if ('existed' in result) {
    // Created by someone else since the listing: the listing brings it.
    ctx.log.info(`The agent ${project.id} exists already: ${result.existed}`);
    await conn.refresh();
    return;
  }
  conn.applyLocalAgent(result.created);
  ctx.log.info(`Created the agent ${result.created.id} for the project at ${relativeFolder(entry.rootUri)}.`);
  void vscode.window.showInformationMessage(`Created the agent ${projectLabel(project)}. Grant it secrets from All Secrets, or create one.`);
}

export async function copyAgentRequest(ctx: Ctx, arg: unknown): Promise<void> {
  const note = agentsRequestNote(projectsOf(ctx, arg).map((e) => ({ project: e.project, folder: relativeFolder(e.rootUri) })));
  await vscode.env.clipboard.writeText(note.clipboard);
  void vscode.window.showInformationMessage(note.notice);
}
