// The master key(s): from SECRETS_VAULT_MASTER_KEY or from a key file (mode 0600) that `init` writes.
// Master keys only wrap the data keys stored in the database (envelope encryption); values are
// encrypted under data keys. A key file may hold several master keys while a rotation runs.

import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_BYTES } from './aead';

export const MASTER_KEY_ENV = 'SECRETS_VAULT_MASTER_KEY';
export const KEY_FILE_NAME = 'master.key';

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export interface MasterKeySource {
  /** Where the keys came from, for messages: never the key itself. */
  readonly origin: string;
  readonly activeId: string;
  get(id: string): Buffer | undefined;
  ids(): string[];
  /** Re-read the source (a key file can change while the service runs); false when unchanged. */
  reload(): boolean;
  /** Whether rotate-key can add a new master key here (a file can; an environment variable cannot). */
  readonly writable: boolean;
}

interface KeyFileContent {
  version: 1;
  active: string;
  keys: Record<string, string>;
}

export function newMasterKeyId(): string {
  return `mk_${randomBytes(6).toString('hex')}`;
}

export function newKeyMaterial(): Buffer {
  return randomBytes(KEY_BYTES);
}

function decodeKey(text: string, where: string): Buffer {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=$/.test(t)) key = Buffer.from(t, 'base64');
  if (!key || key.length !== KEY_BYTES) {
    throw new MasterKeyError(`${where} is not a valid master key: expected ${KEY_BYTES} random bytes as base64 or hex.`);
  }
  return key;
}

class EnvMasterKey implements MasterKeySource {
  readonly writable = false;
  readonly origin = `the environment variable ${MASTER_KEY_ENV}`;
  readonly activeId: string;
  private readonly key: Buffer;
  constructor(value: string) {
    this.key = decodeKey(value, this.origin);
    // A stable id derived from the key, so that data keys record which master wrapped them.
    this.activeId = `env_${createHash('sha256').update('secrets-vault master id').update(this.key).digest('hex').slice(0, 12)}`;
  }
  get(id: string): Buffer | undefined {
    return id === this.activeId ? this.key : undefined;
  }
  ids(): string[] {
    return [this.activeId];
  }
  reload(): boolean {
    return false;
  }
}

export class FileMasterKey implements MasterKeySource {
  readonly writable = true;
  readonly origin: string;
  private content!: KeyFileContent;
  private keys = new Map<string, Buffer>();
  private stamp = '';

  constructor(readonly path: string) {
    this.origin = `the key file ${path}`;
    this.load();
  }

  get activeId(): string {
    return this.content.active;
  }
  get(id: string): Buffer | undefined {
    return this.keys.get(id);
  }
  ids(): string[] {
    return [...this.keys.keys()];
  }

  reload(): boolean {
    const before = this.stamp;
    this.load();
    return before !== this.stamp;
  }

  private load(): void {
    if (!existsSync(this.path)) {
      throw new MasterKeyError(`No master key: ${this.path} does not exist and ${MASTER_KEY_ENV} is not set. Run 'secrets-vault init' first.`);
    }
    const st = statSync(this.path);
    if ((st.mode & 0o077) !== 0) {
      throw new MasterKeyError(`${this.origin} is readable by other users (mode ${(st.mode & 0o777).toString(8)}); run 'chmod 600 ${this.path}'.`);
    }
    let parsed: KeyFileContent;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8')) as KeyFileContent;
    } catch {
      throw new MasterKeyError(`${this.origin} is not valid JSON.`);
    }
    if (parsed?.version !== 1 || typeof parsed.active !== 'string' || typeof parsed.keys !== 'object' || parsed.keys === null) {
      throw new MasterKeyError(`${this.origin} is not a Secrets Vault key file.`);
    }
    const keys = new Map<string, Buffer>();
    for (const [id, material] of Object.entries(parsed.keys)) {
      if (typeof material !== 'string') throw new MasterKeyError(`${this.origin}: key ${id} is not a string.`);
      keys.set(id, decodeKey(material, `${this.origin} (key ${id})`));
    }
    if (!keys.has(parsed.active)) throw new MasterKeyError(`${this.origin}: the active key ${parsed.active} is missing.`);
    this.content = parsed;
    this.keys = keys;
    this.stamp = `${st.mtimeMs}:${st.size}:${st.ino}:${parsed.active}:${keys.size}`;
  }

  /** Atomically replace the file's keys (write a 0600 temporary file, then rename over). */
  write(active: string, keys: Map<string, Buffer>): void {
    writeKeyFile(this.path, active, keys);
    this.load();
  }
}

export function writeKeyFile(path: string, active: string, keys: Map<string, Buffer>): void {
  const content: KeyFileContent = { version: 1, active, keys: {} };
  for (const [id, key] of keys) content.keys[id] = key.toString('base64');
  const tmp = `${path}.${process.pid}.tmp`;
  // Written, flushed, then renamed over the old file and the folder flushed: after a power loss
  // the file is the old one or the new one, never a torn one.
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(content, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** The environment variable wins over the key file, as operators expect of twelve-factor services. */
export function loadMasterKey(keyFilePath: string, env: NodeJS.ProcessEnv = process.env): MasterKeySource {
  const fromEnv = env[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return new EnvMasterKey(fromEnv);
  return new FileMasterKey(keyFilePath);
}
