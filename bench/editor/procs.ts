// The editor's processes as /proc shows them: the extension host (`--type=extensionHost`) and our
// language server (`dist/server/server.js`), found by command line among code-server's descendants.

import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcSample {
  pid: number;
  /** utime + stime, every thread, in ms. */
  cpuMs: number;
  rssBytes: number;
}

function stat(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): fields[0] is field 3 of stat(5).
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined; // gone
  }
}

function rss(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Every live process under `root` (its children, theirs, …), with its command line. */
function descendants(root: number): Array<{ pid: number; cmd: string }> {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) parent.set(pid, s.ppid);
  }
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        out.push({ pid, cmd: cmdline(pid) });
        break;
      }
    }
  }
  return out;
}

export interface EditorProcesses {
  extensionHost: number | undefined;
  languageServer: number | undefined;
}

export function findEditorProcesses(codeServerPid: number): EditorProcesses {
  const all = descendants(codeServerPid);
  return {
    extensionHost: all.find((p) => p.cmd.includes('--type=extensionHost'))?.pid,
    languageServer: all.find((p) => p.cmd.includes('dist/server/server.js'))?.pid,
  };
}

export function sample(pid: number | undefined): ProcSample | undefined {
  if (pid === undefined) return undefined;
  const s = stat(pid);
  if (!s) return undefined;
  return { pid, cpuMs: s.cpuMs, rssBytes: rss(pid) };
}
