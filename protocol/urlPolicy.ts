// Where a token may be sent, shared by the CLI and the extension: plain http:// only to this
// machine (loopback), since anything else would carry the API key and secret values unencrypted
// across a network, unless the user explicitly allows it.

/** 127.0.0.0/8, ::1 and localhost. The URL parser has already normalised other IPv4 spellings. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m[1] === '127' && m.slice(2).every((p) => Number(p) <= 255);
}

/**
 * Why requests to `url` are refused (plain http:// to a host that is not loopback), or undefined
 * when they may go. `howToAllow` names the flag or setting that lifts the refusal.
 */
export function insecureHttpProblem(url: string, allowInsecureHttp: boolean, howToAllow: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined; // not a URL at all: the caller's own validation says so
  }
  if (u.protocol !== 'http:' || allowInsecureHttp || isLoopbackHost(u.hostname)) return undefined;
  return (
    `Refusing plain http:// to ${u.host}: it is not this machine, so the token and secret values would cross the network unencrypted. ` +
    `Use https://, or ${howToAllow} if the network is trusted.`
  );
}
