// The state of one scan of a Python document for secret references (see pythonRefs.ts), which
// each pass's functions read and fill: the names that alias get_secret and os.environ, scopes,
// bindings, shadows, the references found and the variables assigned from them. The scratch
// arrays are kept between scans so that a scan allocates little.

import { StatementTable } from './keyFlow';
import { ContextRecorder, LiteralContexts } from '../scan/literalContexts';
import { NameSet, type SpanSet } from './tokenSets';
import type { TokenBuffer } from '../scan/tokens';
import type { FunctionDef, ImportLookup, SecretReference } from '../scan/types';

/** Fresh scratch arrays at their starting sizes (also for a nested scan that sets the shared ones aside). */
export function freshScratch() {
  return {
    /** Each token's scope. */
    scopeOf: new Int32Array(0),
    /** At the first token of `name = value`'s value: the target's token (-1: none); and the statement's end. */
    assignTargetAt: new Int32Array(0),
    stmtEndAt: new Int32Array(0),
    /** 1 on the last token of a store target: a subscript ending there is written, not read. */
    storeEnd: new Uint8Array(0),
    bindings: new Int32Array(1024),
    /** Name token, first and last token of where a lambda parameter / comprehension target shadows it. */
    shadows: new Int32Array(768),
    /** First and last token of code that runs later than it stands: lambda bodies, generator expressions. */
    deferred: new Int32Array(512),
    /** The ends of the tuple / list patterns markTargets is inside. */
    markStack: new Int32Array(16),
    /** `generic`'s open groups. */
    openStack: new Int32Array(64),
    /** Names (not attributes) followed by `[` or `.`, in order: where a key may be read through a variable. */
    keyReads: new Int32Array(256),
    /** The target token of each of PythonRefScan.tracked (its name and scope are the token's). */
    trackedTargets: new Int32Array(64),
    /**
     * Names written where a call may be given them whole (after `(`, `,` or a keyword's `=`, before
     * `,` or `)`), in order, recorded by the structure pass (`generic`): where nameSetsAppend.ts's
     * handedIndex looks, without a pass of its own over every token.
     */
    handed: new Int32Array(256),
  };
}

/** Scratch arrays kept between scans so a scan allocates little; grown (replaced) as needed. */
export const scratch = freshScratch();

/** What an assignment's value aliases: nothing, the `os.environ` mapping, or a getter (`os.getenv`, `os.environ.get`). */
export const ENV_NONE = 0;
export const ENV_MAPPING = 1;
export const ENV_GETTER = 2;

/** The statements of the scan (start, end, kind, indentation, scope), for the key flow and the leak analysis. */
export const statements = new StatementTable();

/**
 * The structure pass's model of a document's statements, for the consumers after the scan (the
 * leak analysis): valid until the next scan, as the token buffer is.
 */
export interface PythonStructure {
  readonly statements: StatementTable;
  /** The statement of each def/class header, by the id of the scope it opens (ascending). */
  readonly scopeHeader: readonly number[];
  /** By scope id: where its body ends, the LINE token of the first line indented no deeper than its header (or the end). */
  readonly scopeEnd: readonly number[];
}

export function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class PythonRefScan implements PythonStructure {
  readonly count: number;
  readonly statements = statements;
  readonly getSecretNames = new NameSet();
  readonly environNames = new NameSet();
  readonly getenvNames = new NameSet();
  /** Names bound to the os module other than `os` itself (`import os as _os`). */
  readonly osNames = new NameSet();
  /**
   * Names bound to a module whose `secret_vault` reads a secret (`import utils.secret_vault as sv`,
   * `from utils import secret_vault`), and the dotted paths imported without an alias
   * (`import utils.secret_vault`): `sv.secret_vault(…)`, `utils.secret_vault.secret_vault(…)`.
   */
  readonly vaultModules = new NameSet();
  readonly vaultPaths: string[] = [];
  /** `from M import name [as local]` of other modules: local → [M as written, name], for the modules' readers (nameSetsReaders.ts). */
  readonly fromImports = new Map<string, [string, string]>();
  /** The modules imported whole into the module's names (`from functions.helpers import *`), in order. */
  readonly starModules: string[] = [];
  /** The lookup of the project's modules the scan was given (pythonRefs.ts's run). */
  imports: ImportLookup | undefined = undefined;
  /** `target = source` pairs, resolved once all imports are known. */
  readonly pendingAliases: Array<[string, string]> = [];
  /** `env = os.environ`, `getenv = os.environ.get`: the target's token and what it aliases (ENV_*), in pairs. */
  readonly environTargets: number[] = [];
  bindingCount = 0;
  keyReadCount = 0;
  /** How many of scratch.handed are this scan's. */
  handedCount = 0;
  shadowCount = 0;
  deferredCount = 0;
  /** By tracked name's id, where it is shadowed; and where code runs later: built when first asked (see `shadowed`). */
  shadowSpans: Array<SpanSet | undefined> | null = null;
  deferredSpans: SpanSet | null = null;
  /** Tokens of the names in global / nonlocal statements. */
  readonly declared: number[] = [];
  /** Scopes with `from m import *`, which may rebind any name. */
  readonly starScopes = new Set<number>();
  scopeIndents: number[] = [-1];
  scopeIds: number[] = [0];
  scopeCounter = 0;
  /** The statement of each def/class header, by the id of the scope it opens. */
  readonly scopeHeader: number[] = [-1];
  /** By scope id: where its body ends (see PythonStructure). */
  readonly scopeEnd: number[] = [-1];
  lineIndent = 0;
  /** The indentation of the match statements whose bodies we are in. */
  readonly matchIndents: number[] = [];
  /** True after a compound header on the same logical line: the statements that follow are its body. */
  inlineBody = false;
  readonly refs: SecretReference[] = [];
  readonly writes: SecretReference[] = [];
  /** Module-level defs. */
  readonly functions: FunctionDef[] = [];
  /**
   * The scope opened by the last of `functions` while it is open (-1 otherwise), so that its end is
   * set when the scope closes: module-level defs do not nest, so one is open at a time.
   */
  openFunctionScope = -1;
  /**
   * The get_secret calls assigned to a variable (`creds = get_secret('x')`: keys read through it
   * are the secret's); each one's target token is in scratch.trackedTargets.
   */
  readonly tracked: SecretReference[] = [];
  /** Whether a get_secret call follows a `return` (a helper may return it: pythonRefsHelpers.ts). */
  returnsRead = false;
  /** By position in `tracked`: the other reads a tracked call may return (a helper's several `return`s, pythonRefsHelpers.ts). */
  readonly trackedAlso = new Map<number, SecretReference[]>();
  readonly trackedNames = new NameSet();
  /** Each `self.X = …` statement with one target, in order: its value's first token, the statement's end, and X's token. */
  readonly selfTargets: number[] = [];
  /** The get_secret calls that are the whole value of a `self.X = …` statement, and X's token: keys read through `self.X` are the secret's. */
  readonly selfHeld: Array<[SecretReference, number]> = [];

  /**
   * The last lambda whose body end was found (see pythonRefsTargets.ts's `lambda`): its group,
   * colon and end; -2: none in this statement.
   */
  lambdaGroup = -2;
  lambdaColon = 0;
  lambdaEnd = 0;

  /** The names string literals are given to (assignment targets, keywords, keys…), recorded by the structure pass (`generic`) statement by statement. */
  readonly contexts: ContextRecorder;

  constructor(
    readonly text: string,
    readonly buf: TokenBuffer,
  ) {
    this.count = buf.count;
    this.contexts = new ContextRecorder(text, buf, true, new LiteralContexts());
    const size = this.count + 1;
    if (scratch.scopeOf.length < size || (scratch.scopeOf.length > 1 << 20 && scratch.scopeOf.length > size * 4)) {
      const cap = scratch.scopeOf.length < size ? Math.max(size, scratch.scopeOf.length * 2) : size;
      scratch.scopeOf = new Int32Array(cap);
      scratch.assignTargetAt = new Int32Array(cap);
      scratch.stmtEndAt = new Int32Array(cap);
      scratch.storeEnd = new Uint8Array(cap);
    }
    scratch.assignTargetAt.fill(-1, 0, size);
    scratch.storeEnd.fill(0, 0, size);
    statements.count = 0;
  }
}

/** The scope the statement being read is in. */
export function currentScope(scan: PythonRefScan): number {
  return scan.scopeIds[scan.scopeIds.length - 1]!;
}
