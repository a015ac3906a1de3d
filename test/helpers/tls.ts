// A throwaway self-signed certificate for 127.0.0.1/localhost, made with openssl (installed by
// .ci/run), for the tests that serve HTTPS.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Writes key.pem and cert.pem into `dir`; returns their paths. */
export function selfSignedCert(dir: string): { key: string; cert: string } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { key, cert };
}
