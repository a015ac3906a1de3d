// jsonc-parser's scanner as a module of its own (see configRefs.ts), which the package ships without
// typings: the package's own types for it.
declare module 'jsonc-parser/lib/umd/impl/scanner.js' {
  export { createScanner } from 'jsonc-parser';
}
