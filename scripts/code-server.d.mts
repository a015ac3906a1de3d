export const CODE_SERVER_VERSION: string;
export const cacheDir: string;
export const codeServerBin: string;
export const installLog: string;
export function ensureCodeServer(log?: (s: string) => void): string;
export function runLogged(cmd: string, args: string[], logFile: string, options?: import('node:child_process').SpawnSyncOptions): void;
