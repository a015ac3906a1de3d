export const CODE_SERVER_VERSION: string;
export const cacheDir: string;
export const codeServerBin: string;
export function ensureCodeServer(log?: (s: string) => void): string;
