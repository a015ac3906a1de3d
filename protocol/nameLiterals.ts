// How a secret name is written inside a Python or JavaScript string literal. Names are
// printable text now, so a name may hold a quote, a backslash or braces: completion, quick fixes,
// snippets and Move to vault write it through here so that the string stays valid and decodes to
// exactly the name. Names hold no line breaks or control characters (protocol/names.ts), so
// quotes, backslashes and the placeholder openers of f-strings and templates are all that matter.

/** The kind of literal a name goes into, as its opening (prefix and quotes) says. */
export interface LiteralQuoting {
  python: boolean;
  /** `'`, `"`, `'''`, `"""` or (JavaScript) a template's backquote. */
  quote: string;
  /** Python `r'…'`: no escapes at all. */
  raw: boolean;
  /** Python `f'…'` / `t'…'`: braces are doubled. */
  format: boolean;
}

const PY_OPENING = /^([rRbBuUfFtT]{0,2})('''|"""|'|")$/;

/**
 * The quoting of a literal from its opening: the text from the literal's start to its content's
 * (`rf'`, `"""`, `` ` ``). Undefined when it is no string opening (an empty literal, a name after
 * `process.env.`).
 */
export function quotingOf(opening: string, python: boolean): LiteralQuoting | undefined {
  if (python) {
    const m = PY_OPENING.exec(opening);
    if (!m) return undefined;
    const prefix = m[1]!.toLowerCase();
    return { python, quote: m[2]!, raw: prefix.includes('r'), format: prefix.includes('f') || prefix.includes('t') };
  }
  if (opening === "'" || opening === '"' || opening === '`') return { python, quote: opening, raw: false, format: false };
  return undefined;
}

/** A plain single-quoted literal: what completion and snippets open when nothing is typed yet. */
export const SINGLE_QUOTED: LiteralQuoting = { python: true, quote: "'", raw: false, format: false };

/**
 * `name` as the content of a literal of `q`, so that the literal decodes to exactly `name`; undefined
 * when no content of such a literal can be `name` (a Python raw string cannot hold its own quote, and
 * a backslash in one would escape what follows).
 */
export function escapeInLiteral(name: string, q: LiteralQuoting): string | undefined {
  const quote = q.quote.charAt(0);
  if (q.raw) {
    if (name.includes(quote) || name.includes('\\')) return undefined;
    return q.format ? name.replace(/[{}]/g, '$&$&') : name;
  }
  if (!q.python && quote === '`') return name.replace(/\\|`|\$(?=\{)/g, '\\$&');
  const escaped = name.replace(quote === "'" ? /[\\']/g : /[\\"]/g, '\\$&');
  return q.format ? escaped.replace(/[{}]/g, '$&$&') : escaped;
}

/** `'name'`, escaped: a literal that reads the same in Python and JavaScript. */
export function singleQuoted(name: string): string {
  return `'${escapeInLiteral(name, SINGLE_QUOTED)!}'`;
}
