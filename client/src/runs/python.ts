// Python as the editor has it: the interpreter the Python extension selected for a file (else
// `python3`), and the debugger type a Python debugger extension contributes (none when no such
// extension is installed: Debug then says so instead of failing somewhere inside VS Code).

import * as vscode from 'vscode';

const PYTHON_EXTENSION = 'ms-python.python';
export const PYTHON_DEBUGGER_EXTENSION = 'ms-python.debugpy';

/** The parts of the Python extension's API we use (its `environments` API, stable since 2023). */
interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export interface Interpreter {
  path: string;
  /** Where it came from, for the log and the terminal's banner. */
  source: 'python extension' | 'default';
}

/** The selected interpreter for `resource`, or `python3` when the Python extension is absent or has none. */
export async function pythonInterpreter(resource: vscode.Uri | undefined, log: (m: string) => void): Promise<Interpreter> {
  const ext = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION);
  if (ext) {
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const active = api?.environments?.getActiveEnvironmentPath(resource);
      if (active) {
        const resolved = await api.environments!.resolveEnvironment(active);
        const path = resolved?.executable?.uri?.fsPath ?? active.path;
        if (path) return { path, source: 'python extension' };
      }
    } catch (e) {
      log(`The Python extension gave no interpreter (${e instanceof Error ? e.message : String(e)}); using python3.`);
    }
  }
  return { path: 'python3', source: 'default' };
}

interface DebuggerContribution {
  type?: unknown;
}

/** The debug type for Python: `debugpy` if an installed extension contributes it, else `python`, else none. */
export function pythonDebugType(): string | undefined {
  const types = new Set<string>();
  for (const ext of vscode.extensions.all) {
    const debuggers = (ext.packageJSON as { contributes?: { debuggers?: DebuggerContribution[] } } | undefined)?.contributes?.debuggers;
    for (const d of debuggers ?? []) if (typeof d.type === 'string') types.add(d.type);
  }
  return types.has('debugpy') ? 'debugpy' : types.has('python') ? 'python' : undefined;
}
