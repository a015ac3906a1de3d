// How agent code reads a secret, for hints: `get_secret` in snake_case accounts, the environment
// in UPPER_CASE accounts.

import type { NamingStyle } from '../../protocol/names';

export function readExpression(name: string, style: NamingStyle): string {
  return style === 'UPPER_CASE' ? `os.environ['${name}']` : `conv.utils.get_secret('${name}')`;
}

export function styleRule(style: NamingStyle): string {
  return style === 'UPPER_CASE'
    ? 'This account uses environment-style names: upper-case letters, digits and underscores.'
    : 'Lower-case letters, digits and underscores, starting with a letter.';
}
