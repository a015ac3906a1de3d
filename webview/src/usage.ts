// How agent code reads a secret, for hints: `get_secret` in snake_case accounts, the environment
// in UPPER_CASE accounts.

import { singleQuoted } from '../../protocol/nameLiterals';
import type { NamingStyle } from '../../protocol/names';

/**
 * The read as code, the name inside `'…'` escaped so that the line shown is the line to write
 * (`get_secret('Bob\'s key')`, protocol/nameLiterals.ts): names are printable text.
 */
export function readExpression(name: string, style: NamingStyle): string {
  return style === 'UPPER_CASE' ? `os.environ[${singleQuoted(name)}]` : `conv.utils.get_secret(${singleQuoted(name)})`;
}

export function styleRule(style: NamingStyle): string {
  return style === 'UPPER_CASE'
    ? 'This account uses environment-style names: upper-case letters, digits and underscores.'
    : 'Any printable name up to 128 characters; snake_case (lower-case letters, digits and underscores) is advised.';
}
