// The database URL as configuration: where it comes from, and how it is shown (never with its password).

/** The environment variable that names the PostgreSQL database when --database-url is not given. */
export const DATABASE_URL_ENV = 'SECRETS_VAULT_DATABASE_URL';

/** `url` with its password (in the userinfo or a `password=` parameter) replaced by `***`, for messages. */
export function maskDatabaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(an unparsable URL)';
  }
  if (u.password) u.password = '***';
  if (u.searchParams.has('password')) u.searchParams.set('password', '***');
  return u.toString().replace('password=%2A%2A%2A', 'password=***');
}

/** Whether `url` is a PostgreSQL connection URL this vault can use. */
export function isPostgresUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
  } catch {
    return false;
  }
}
