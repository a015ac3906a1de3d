// The corpus of name-resolution patterns: one case per rule of the resolver (Python, and JavaScript
// and TypeScript where the pattern exists there), each with the names a computed secret read can
// take, in the order they are first written, the environments in which each is taken, and the
// tests on anything other than the environment that choose it; then the variants that must stay
// unknown, with the part that is. The expectations are written from the rules, not from a run.
//
// Each case's source has exactly one read whose name is not a literal: the read under test.

import { ITER_JS_CASES, ITER_JS_UNRESOLVED, ITER_PYTHON_CASES, ITER_PYTHON_UNRESOLVED } from './nameSetsIterCases';
import { UNPACK_JS_CASES, UNPACK_JS_UNRESOLVED, UNPACK_PYTHON_CASES, UNPACK_PYTHON_UNRESOLVED } from './nameSetsUnpackCases';
import { HELPER_JS_CASES, HELPER_JS_UNRESOLVED, HELPER_PYTHON_CASES, HELPER_PYTHON_UNRESOLVED } from './nameSetsHelperCases';
import { CLASS_JS_CASES, CLASS_JS_UNRESOLVED, CLASS_PYTHON_CASES, CLASS_PYTHON_UNRESOLVED } from './nameSetsClassCases';
import { TABLES_JS_CASES, TABLES_JS_UNRESOLVED, TABLES_PYTHON_CASES, TABLES_PYTHON_UNRESOLVED } from './nameSetsTablesCases';
import { HANDED_JS_CASES, HANDED_JS_UNRESOLVED, HANDED_PYTHON_CASES, HANDED_PYTHON_UNRESOLVED } from './nameSetsHandedCases';
import { IMPORT_JS_CASES, IMPORT_JS_UNRESOLVED, IMPORT_PYTHON_CASES, IMPORT_PYTHON_UNRESOLVED } from './nameSetsImportCases';
import { METHOD_JS_CASES, METHOD_JS_UNRESOLVED, METHOD_PYTHON_CASES, METHOD_PYTHON_UNRESOLVED } from './nameSetsMethodCases';
import { PARAM_ITER_JS_CASES, PARAM_ITER_JS_UNRESOLVED, PARAM_ITER_PYTHON_CASES, PARAM_ITER_PYTHON_UNRESOLVED } from './nameSetsParamIterCases';
import { TEMPLATE_JS_CASES, TEMPLATE_JS_UNRESOLVED, TEMPLATE_PYTHON_CASES, TEMPLATE_PYTHON_UNRESOLVED } from './nameSetsTemplateCases';
import { ROW_JS_CASES, ROW_JS_UNRESOLVED, ROW_PYTHON_CASES, ROW_PYTHON_UNRESOLVED } from './nameSetsRowCases';
import type { ScanLanguage } from '../../../server/src/service/scan/types';

/** One name the read may take. */
export interface WantCandidate {
  name: string;
  /**
   * The literal it is written in, quotes included, exactly as in the source (found by slicing);
   * for a name joined from several literals, any one of them.
   */
  literal: string | readonly string[];
  /** Where `conv.env` takes it, in any order; null when no environment test is on its way. */
  environments: readonly string[] | null;
  /**
   * The tests on anything but the environment that choose it, outermost first, as written, and
   * whether each holds; checked when given (tests of `conv.env` are left out of the comparison).
   */
  when?: ReadonlyArray<readonly [text: string, holds: boolean]>;
  /** The module the literal is in, when it is imported (a key of the case's `modules`). */
  module?: string;
}

/** Another module of the project the case imports from: `from <module> import …`. */
export interface ImportedModule {
  uri: string;
  text: string;
  /** Its module-level names and the literals they hold (as written in `text`), with their environments. */
  names: Record<string, ReadonlyArray<{ name: string; literal: string; environments: readonly string[] | null }>>;
}

export interface CorpusCase {
  title: string;
  language: ScanLanguage;
  source: string;
  /** The modules of the project by the name they are imported as; the lookup answers undefined for any other. */
  modules?: Record<string, ImportedModule>;
  /** Keys read from the result, checked against every candidate by the features. */
  keys?: readonly string[];
  /** The candidates, in order; or the read stays unknown and names one of these parts. */
  want: WantCandidate[] | { unresolved: readonly string[] };
  /** Whether the read says other callers may pass other names (checked when given). */
  open?: boolean;
}

const PROD_UAT = [
  { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
  { name: 'x_uat_api', literal: "'x_uat_api'", environments: ['sandbox', 'pre-release'] },
] as const;

export const PYTHON_CASES: CorpusCase[] = [
  // Expressions.
  {
    title: 'a literal assigned to a local',
    language: 'python',
    source: `def f(conv):
    name = 'narvar_api'
    return conv.utils.get_secret(name)
`,
    want: [{ name: 'narvar_api', literal: "'narvar_api'", environments: null, when: [] }],
  },
  {
    title: 'implicit concatenation of literals in a local',
    language: 'python',
    source: `def f(conv):
    name = ('narvar_'
            'prod_api')
    return conv.utils.get_secret(name)
`,
    want: [{ name: 'narvar_prod_api', literal: ["'narvar_'", "'prod_api'", "'narvar_'\n            'prod_api'"], environments: null, when: [] }],
  },
  {
    title: 'an f-string without placeholders in a module constant',
    language: 'python',
    source: `NAME = f'narvar_{{prod}}_api'

def f(conv):
    return conv.utils.get_secret(NAME)
`,
    want: [{ name: 'narvar_{prod}_api', literal: "f'narvar_{{prod}}_api'", environments: null, when: [] }],
  },
  {
    title: '+ of a literal and a conditional part',
    language: 'python',
    source: `def f(conv):
    tier = 'prod' if conv.env == 'live' else 'staging'
    return conv.utils.get_secret('narvar_' + tier + '_api')
`,
    want: [
      { name: 'narvar_prod_api', literal: ["'prod'", "'narvar_'", "'_api'"], environments: ['live'] },
      { name: 'narvar_staging_api', literal: ["'staging'", "'narvar_'", "'_api'"], environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a conditional expression on conv.env, inline',
    language: 'python',
    source: `def f(conv):
    creds = conv.utils.get_secret('x_prod_api' if conv.env == 'live' else 'x_uat_api')
    return creds['API_KEY']
`,
    keys: ['API_KEY'],
    want: [...PROD_UAT],
  },
  {
    title: 'a conditional expression with != and parentheses',
    language: 'python',
    source: `def f(conv):
    return conv.utils.get_secret(('x_uat_api') if conv.env != 'live' else ('x_prod_api'))
`,
    want: [
      { name: 'x_uat_api', literal: "'x_uat_api'", environments: ['sandbox', 'pre-release'] },
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
    ],
  },
  {
    title: 'a conditional expression on conv.env.lower() and membership, pre_release normalised',
    language: 'python',
    source: `def f(conv):
    name = 'x_test_api' if conv.env.lower() in ('sandbox', 'pre_release') else 'x_prod_api'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'x_test_api', literal: "'x_test_api'", environments: ['sandbox', 'pre-release'] },
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
    ],
  },
  {
    title: 'a conditional expression on a conv.state flag is labelled with the test',
    language: 'python',
    source: `def f(conv):
    name = 'narvar_v2_api' if conv.state.get('use_v2') else 'narvar_api'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'narvar_v2_api', literal: "'narvar_v2_api'", environments: null, when: [["conv.state.get('use_v2')", true]] },
      { name: 'narvar_api', literal: "'narvar_api'", environments: null, when: [["conv.state.get('use_v2')", false]] },
    ],
  },
  {
    title: 'an environment test inside a real-time configuration test: both labels',
    language: 'python',
    source: `def f(conv):
    if conv.real_time_config['use_new_vendor']:
        name = 'acme_prod_api' if conv.env == 'live' else 'acme_uat_api'
    else:
        name = 'legacy_api'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'acme_prod_api', literal: "'acme_prod_api'", environments: ['live'], when: [["conv.real_time_config['use_new_vendor']", true]] },
      { name: 'acme_uat_api', literal: "'acme_uat_api'", environments: ['sandbox', 'pre-release'], when: [["conv.real_time_config['use_new_vendor']", true]] },
      { name: 'legacy_api', literal: "'legacy_api'", environments: null, when: [["conv.real_time_config['use_new_vendor']", false]] },
    ],
  },
  {
    title: 'an if/elif/else chain on conv.env assigning the name',
    language: 'python',
    source: `def f(conv):
    if conv.env == 'live':
        name = 'x_prod_api'
    elif conv.env == 'pre-release':
        name = 'x_preprod_api'
    else:
        name = 'x_dev_api'
    creds = conv.utils.get_secret(name)
    return creds['BASE_URL']
`,
    keys: ['BASE_URL'],
    want: [
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
      { name: 'x_preprod_api', literal: "'x_preprod_api'", environments: ['pre-release'] },
      { name: 'x_dev_api', literal: "'x_dev_api'", environments: ['sandbox'] },
    ],
  },
  {
    title: 'a default overridden in one environment',
    language: 'python',
    source: `def f(conv):
    name = 'x_uat_api'
    if conv.env == 'live':
        name = 'x_prod_api'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'x_uat_api', literal: "'x_uat_api'", environments: ['sandbox', 'pre-release'] },
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
    ],
  },
  {
    title: "another environment a file tests ('draft') joins the universe",
    language: 'python',
    source: `def f(conv):
    if conv.env == 'draft':
        name = 'x_draft_api'
    elif conv.env == 'live':
        name = 'x_prod_api'
    else:
        name = 'x_uat_api'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'x_draft_api', literal: "'x_draft_api'", environments: ['draft'] },
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
      { name: 'x_uat_api', literal: "'x_uat_api'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: 'a branch whose environments are all excluded drops its name',
    language: 'python',
    source: `def f(conv):
    if conv.env == 'live':
        name = 'x_prod_api'
        if conv.env != 'live':
            name = 'never_api'
    else:
        name = 'x_uat_api'
    return conv.utils.get_secret(name)
`,
    want: [...PROD_UAT],
  },
  {
    title: 'an if/else on a flag parameter is labelled with the flag',
    language: 'python',
    source: `def f(conv, use_sandbox=False):
    if use_sandbox:
        name = 'stripe_test_key'
    else:
        name = 'stripe_live_key'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'stripe_test_key', literal: "'stripe_test_key'", environments: null, when: [['use_sandbox', true]] },
      { name: 'stripe_live_key', literal: "'stripe_live_key'", environments: null, when: [['use_sandbox', false]] },
    ],
  },
  {
    title: 'match/case on conv.env with alternatives and a wildcard',
    language: 'python',
    source: `def f(conv):
    match conv.env:
        case 'live':
            name = 'x_prod_api'
        case 'sandbox' | 'pre_release':
            name = 'x_uat_api'
        case _:
            name = 'x_other_api'
    return conv.utils.get_secret(name)
`,
    // Every environment has a case before the wildcard, so the wildcard's name is never taken.
    want: [...PROD_UAT],
  },
  {
    title: 'match/case on conv.env with a wildcard that takes the rest',
    language: 'python',
    source: `def f(conv):
    match conv.env:
        case 'live':
            name = 'x_prod_api'
        case _:
            name = 'x_uat_api'
    return conv.utils.get_secret(name)
`,
    want: [...PROD_UAT],
  },
  {
    title: 'a local bound to conv.env.lower() is tested as the environment',
    language: 'python',
    source: `def f(conv):
    env = conv.env.lower()
    if env == 'live':
        name = 'x_prod_api'
    else:
        name = 'x_uat_api'
    return conv.utils.get_secret(name)
`,
    want: [...PROD_UAT],
  },
  {
    title: 'match/case on a conv.state value: every case, no environment',
    language: 'python',
    source: `def f(conv):
    match conv.state.get('tier'):
        case 'gold':
            name = 'crm_gold_api'
        case _:
            name = 'crm_api'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'crm_gold_api', literal: "'crm_gold_api'", environments: null },
      { name: 'crm_api', literal: "'crm_api'", environments: null },
    ],
  },
  {
    title: "an 'or' default after a literal is never taken",
    language: 'python',
    source: `def f(conv):
    return conv.utils.get_secret('narvar_api' or 'never_api')
`,
    want: [{ name: 'narvar_api', literal: "'narvar_api'", environments: null, when: [] }],
  },
  {
    title: "an 'or' default after a table .get without default takes the missing environments",
    language: 'python',
    source: `NAMES = {'live': 'x_prod_api', 'sandbox': 'x_sandbox_api'}

def f(conv):
    return conv.utils.get_secret(NAMES.get(conv.env) or 'x_default_api')
`,
    want: [
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
      { name: 'x_sandbox_api', literal: "'x_sandbox_api'", environments: ['sandbox'] },
      { name: 'x_default_api', literal: "'x_default_api'", environments: ['pre-release'] },
    ],
  },
  // Names.
  {
    title: 'a module constant',
    language: 'python',
    source: `from _gen import *  # <AUTO GENERATED>

SECRET_NAME = 'narvar_production_api'


def get_order(conv: Conversation, order_id: str):
    creds = conv.utils.get_secret(SECRET_NAME)
    return creds['API_KEY']
`,
    want: [{ name: 'narvar_production_api', literal: "'narvar_production_api'", environments: null, when: [] }],
  },
  {
    title: 'a module constant built from another constant',
    language: 'python',
    source: `PREFIX = 'narvar'
SECRET_NAME = PREFIX + '_api'

def f(conv):
    return conv.utils.get_secret(SECRET_NAME)
`,
    want: [{ name: 'narvar_api', literal: ["'narvar'", "'_api'"], environments: null, when: [] }],
  },
  {
    title: 'a class attribute read as self.X',
    language: 'python',
    source: `class NarvarClient:
    SECRET = 'narvar_api'

    def __init__(self, conv):
        self.creds = conv.utils.get_secret(self.SECRET)
`,
    want: [{ name: 'narvar_api', literal: "'narvar_api'", environments: null, when: [] }],
  },
  {
    title: 'a class attribute read as Cls.X',
    language: 'python',
    source: `class Settings:
    SECRET_NAME = 'booking_api'

def f(conv):
    return conv.utils.get_secret(Settings.SECRET_NAME)
`,
    want: [{ name: 'booking_api', literal: "'booking_api'", environments: null, when: [] }],
  },
  // Tables.
  {
    title: 'a dict of names indexed by conv.env',
    language: 'python',
    source: `SECRET_NAMES = {
    'sandbox': 'x_uat_api',
    'pre-release': 'x_uat_api',
    'live': 'x_prod_api',
}

def f(conv):
    creds = conv.utils.get_secret(SECRET_NAMES[conv.env])
    return creds['API_KEY']
`,
    want: [
      { name: 'x_uat_api', literal: "'x_uat_api'", environments: ['sandbox', 'pre-release'] },
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
    ],
  },
  {
    title: 'a dict of names .get by conv.env with a default',
    language: 'python',
    source: `NAMES = {'live': 'x_prod_api', 'pre_release': 'x_preprod_api'}

def f(conv):
    return conv.utils.get_secret(NAMES.get(conv.env, 'x_uat_api'))
`,
    want: [
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
      { name: 'x_preprod_api', literal: "'x_preprod_api'", environments: ['pre-release'] },
      { name: 'x_uat_api', literal: "'x_uat_api'", environments: ['sandbox'] },
    ],
  },
  {
    title: 'a local dict of names indexed by something else: every value, no environment',
    language: 'python',
    source: `def f(conv):
    by_region = {'us': 'acme_us_api', 'eu': 'acme_eu_api'}
    return conv.utils.get_secret(by_region[conv.state['region']])
`,
    want: [
      { name: 'acme_us_api', literal: "'acme_us_api'", environments: null },
      { name: 'acme_eu_api', literal: "'acme_eu_api'", environments: null },
    ],
  },
  {
    title: 'a tuple table indexed by anything',
    language: 'python',
    source: `NAMES = ('acme_primary_api', 'acme_backup_api')

def f(conv, attempt):
    return conv.utils.get_secret(NAMES[attempt % 2])
`,
    want: [
      { name: 'acme_primary_api', literal: "'acme_primary_api'", environments: null },
      { name: 'acme_backup_api', literal: "'acme_backup_api'", environments: null },
    ],
  },
  // Functions and parameters.
  {
    title: 'a helper returning one of two literals by conv.env',
    language: 'python',
    source: `def _secret_name(conv):
    if conv.env == 'live':
        return 'x_prod_api'
    return 'x_uat_api'


def f(conv):
    creds = conv.utils.get_secret(_secret_name(conv))
    return creds['API_KEY']
`,
    want: [...PROD_UAT],
  },
  {
    title: 'a method returning a module constant, called on self',
    language: 'python',
    source: `NAME = 'crm_api'

class Crm:
    def secret_name(self):
        return NAME

    def token(self, conv):
        return conv.utils.get_secret(self.secret_name())
`,
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, when: [] }],
  },
  {
    title: 'a parameter with every call site known (positional, keyword and default)',
    language: 'python',
    source: `def fetch(conv, secret_name='acme_default_api'):
    creds = conv.utils.get_secret(secret_name)
    return creds['API_KEY']


def orders(conv):
    return fetch(conv, 'acme_orders_api')


def refunds(conv):
    return fetch(conv, secret_name='acme_refunds_api')


def status(conv):
    return fetch(conv)
`,
    want: [
      { name: 'acme_default_api', literal: "'acme_default_api'", environments: null, when: [] },
      { name: 'acme_orders_api', literal: "'acme_orders_api'", environments: null, when: [] },
      { name: 'acme_refunds_api', literal: "'acme_refunds_api'", environments: null, when: [] },
    ],
  },
  {
    title: "a parameter whose call site chooses by conv.env keeps the call site's environments",
    language: 'python',
    source: `def read(conv, name):
    return conv.utils.get_secret(name)


def f(conv):
    return read(conv, 'x_prod_api' if conv.env == 'live' else 'x_uat_api')
`,
    want: [...PROD_UAT],
  },
  {
    title: 'a loop variable over a tuple of literals written in the for',
    language: 'python',
    source: `import os

def user():
    for name in ('LOGNAME', 'USER'):
        value = os.environ.get(name)
        if value:
            return value
`,
    want: [
      { name: 'LOGNAME', literal: "'LOGNAME'", environments: null, when: [] },
      { name: 'USER', literal: "'USER'", environments: null, when: [] },
    ],
  },
  {
    title: 'a loop variable over a tuple of literals without parentheses',
    language: 'python',
    source: `import os

def tempdir():
    for envname in 'TMPDIR', 'TEMP', 'TMP':
        dirname = os.getenv(envname)
        if dirname:
            return dirname
`,
    want: [
      { name: 'TMPDIR', literal: "'TMPDIR'", environments: null, when: [] },
      { name: 'TEMP', literal: "'TEMP'", environments: null, when: [] },
      { name: 'TMP', literal: "'TMP'", environments: null, when: [] },
    ],
  },
  // Imports.
  {
    title: 'a constant imported from another module of the project',
    language: 'python',
    source: `from .config import SECRET_NAME

def f(conv):
    return conv.utils.get_secret(SECRET_NAME)
`,
    modules: {
      '.config': {
        uri: 'file:///proj/functions/config.py',
        text: "SECRET_NAME = 'shared_crm_api'\n",
        names: { SECRET_NAME: [{ name: 'shared_crm_api', literal: "'shared_crm_api'", environments: null }] },
      },
    },
    want: [{ name: 'shared_crm_api', literal: "'shared_crm_api'", environments: null, module: '.config' }],
  },
  {
    title: 'an imported name under an alias, absolute',
    language: 'python',
    source: `from functions.settings import CRM_NAME as crm

def f(conv):
    return conv.utils.get_secret(crm)
`,
    modules: {
      'functions.settings': {
        uri: 'file:///proj/functions/settings.py',
        text: "VENDOR = 'crm'\nCRM_NAME = VENDOR + '_prod_api'\n",
        names: {
          VENDOR: [{ name: 'crm', literal: "'crm'", environments: null }],
          CRM_NAME: [{ name: 'crm_prod_api', literal: "'crm'", environments: null }],
        },
      },
    },
    want: [{ name: 'crm_prod_api', literal: "'crm'", environments: null, module: 'functions.settings' }],
  },
  {
    title: 'a module of the project imported whole, its constant read as an attribute',
    language: 'python',
    source: `from . import config

def f(conv):
    return conv.utils.get_secret(config.SECRET_NAME)
`,
    modules: {
      '.config': {
        uri: 'file:///proj/functions/config.py',
        text: "SECRET_NAME = 'shared_crm_api'\n",
        names: { SECRET_NAME: [{ name: 'shared_crm_api', literal: "'shared_crm_api'", environments: null }] },
      },
    },
    want: [{ name: 'shared_crm_api', literal: "'shared_crm_api'", environments: null, module: '.config' }],
  },
  {
    title: 'a module imported by its dotted path under an alias, its constant read as an attribute',
    language: 'python',
    source: `import functions.settings as settings

def f(conv):
    return conv.utils.get_secret(settings.CRM_NAME)
`,
    modules: {
      'functions.settings': {
        uri: 'file:///proj/functions/settings.py',
        text: "CRM_NAME = 'crm_prod_api'\n",
        names: { CRM_NAME: [{ name: 'crm_prod_api', literal: "'crm_prod_api'", environments: null }] },
      },
    },
    want: [{ name: 'crm_prod_api', literal: "'crm_prod_api'", environments: null, module: 'functions.settings' }],
  },
  {
    title: "a name from a module of the project imported with *, the last such module that defines it",
    language: 'python',
    source: `from .legacy import *
from .config import *

def f(conv):
    return conv.utils.get_secret(SECRET_NAME)
`,
    modules: {
      '.legacy': {
        uri: 'file:///proj/functions/legacy.py',
        text: "OLD_NAME = 'legacy_crm_api'\n",
        names: { OLD_NAME: [{ name: 'legacy_crm_api', literal: "'legacy_crm_api'", environments: null }] },
      },
      '.config': {
        uri: 'file:///proj/functions/config.py',
        text: "SECRET_NAME = 'shared_crm_api'\n",
        names: { SECRET_NAME: [{ name: 'shared_crm_api', literal: "'shared_crm_api'", environments: null }] },
      },
    },
    want: [{ name: 'shared_crm_api', literal: "'shared_crm_api'", environments: null, module: '.config' }],
  },
  {
    title: 'a computed read in a conditional expression on conv.env takes its branch',
    language: 'python',
    source: `def f(conv):
    name = 'x_uat_api'
    return conv.utils.get_secret(name) if conv.env != 'live' else None
`,
    want: [{ name: 'x_uat_api', literal: "'x_uat_api'", environments: ['sandbox', 'pre-release'] }],
  },
  {
    title: 'a computed read after an early return on an alias of conv.env',
    language: 'python',
    source: `def f(conv):
    env = str(conv.env or "").lower()
    if env == "live":
        return None
    name = "x_" + "uat_api"
    return conv.utils.get_secret(name)
`,
    want: [{ name: 'x_uat_api', literal: ['"x_"', '"uat_api"'], environments: ['sandbox', 'pre-release'] }],
  },
  // Joined names, one rule in both languages (evaluate/combine.ts's join): the literal is the part
  // that varies (a part the same either way is not what chooses), each test once.
  {
    title: 'joined: parts set together on conv.env, one of them the same either way: the literal is the part that varies',
    language: 'python',
    source: `def f(conv):
    if conv.env == 'live':
        tier = 'prod'
        suffix = '_api'
    else:
        tier = 'uat'
        suffix = '_api'
    return conv.utils.get_secret('x_' + tier + suffix)
`,
    want: [
      { name: 'x_prod_api', literal: "'prod'", environments: ['live'], when: [] },
      { name: 'x_uat_api', literal: "'uat'", environments: ['sandbox', 'pre-release'], when: [] },
    ],
  },
  {
    title: 'joined: an f-string of two parts chosen by conv.env, the second the same either way',
    language: 'python',
    source: `def f(conv):
    tier = 'prod' if conv.env == 'live' else 'uat'
    suffix = '_api' if conv.env == 'live' else '_api'
    return conv.utils.get_secret(f'x_{tier}{suffix}')
`,
    want: [
      { name: 'x_prod_api', literal: "'prod'", environments: ['live'], when: [] },
      { name: 'x_uat_api', literal: "'uat'", environments: ['sandbox', 'pre-release'], when: [] },
    ],
  },
  {
    title: 'joined: two parts set under one test, read under it: the test once',
    language: 'python',
    source: `def f(conv, legacy):
    if legacy:
        vendor = 'old_crm'
        kind = 'key'
        return conv.utils.get_secret(vendor + '_' + kind)
`,
    want: [{ name: 'old_crm_key', literal: "'old_crm'", environments: null, when: [['legacy', true]] }],
  },
  {
    title: 'joined: a separator joining a list written out',
    language: 'python',
    source: `def f(conv):
    tier = 'prod' if conv.env == 'live' else 'uat'
    return conv.utils.get_secret('_'.join(['x', tier, 'api']))
`,
    want: [
      { name: 'x_prod_api', literal: "'prod'", environments: ['live'], when: [] },
      { name: 'x_uat_api', literal: "'uat'", environments: ['sandbox', 'pre-release'], when: [] },
    ],
  },
  // `in` a dict: its keys.
  {
    title: 'conv.env in a dict of the module: the environments its keys name',
    language: 'python',
    source: `NAMES = {'live': 'x_prod_api', 'sandbox': 'x_sandbox_api'}

def f(conv):
    name = NAMES[conv.env] if conv.env in NAMES else 'x_default_api'
    return conv.utils.get_secret(name)
`,
    want: [
      { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
      { name: 'x_sandbox_api', literal: "'x_sandbox_api'", environments: ['sandbox'] },
      { name: 'x_default_api', literal: "'x_default_api'", environments: ['pre-release'] },
    ],
  },
  {
    title: "conv.env not in a dict's .keys()",
    language: 'python',
    source: `NAMES = {'live': 'x_prod_api', 'pre-release': 'x_preprod_api'}

def f(conv):
    tier = 'uat' if conv.env not in NAMES.keys() else 'prod'
    return conv.utils.get_secret('x_' + tier + '_api')
`,
    want: [
      { name: 'x_uat_api', literal: "'uat'", environments: ['sandbox'] },
      { name: 'x_prod_api', literal: "'prod'", environments: ['live', 'pre-release'] },
    ],
  },
  {
    title: 'conv.env in a dict written in the test',
    language: 'python',
    source: `def f(conv):
    tier = 'prod' if conv.env in {'live': 1, 'pre-release': 2} else 'uat'
    return conv.utils.get_secret('x_' + tier + '_api')
`,
    want: [
      { name: 'x_prod_api', literal: "'prod'", environments: ['live', 'pre-release'] },
      { name: 'x_uat_api', literal: "'uat'", environments: ['sandbox'] },
    ],
  },
  {
    title: 'conv.env in a dict with a spread: its keys are not all known, the test is no environment test',
    language: 'python',
    source: `BASE = {'live': 1}
ENVS = {**BASE, 'sandbox': 2}

def f(conv):
    tier = 'prod' if conv.env in ENVS else 'uat'
    return conv.utils.get_secret('x_' + tier + '_api')
`,
    want: [
      { name: 'x_prod_api', literal: "'prod'", environments: null, when: [] },
      { name: 'x_uat_api', literal: "'uat'", environments: null, when: [] },
    ],
  },
  {
    title: "conv.env compared with an Enum member's .value",
    language: 'python',
    source: `from enum import Enum


class Env(Enum):
    LIVE = 'live'
    SANDBOX = 'sandbox'


def f(conv):
    tier = 'prod' if conv.env == Env.LIVE.value else 'uat'
    return conv.utils.get_secret('x_' + tier + '_api')
`,
    want: [
      { name: 'x_prod_api', literal: "'prod'", environments: ['live'] },
      { name: 'x_uat_api', literal: "'uat'", environments: ['sandbox', 'pre-release'] },
    ],
  },
];

export const PYTHON_UNRESOLVED: CorpusCase[] = [
  {
    title: 'joined: a separator joining a list that is not written out',
    language: 'python',
    source: `def f(conv, parts):
    return conv.utils.get_secret('_'.join(parts))
`,
    want: { unresolved: ["'_'.join(parts)", 'parts'] },
  },
  {
    title: 'input from conv.state',
    language: 'python',
    source: `def f(conv):
    return conv.utils.get_secret(conv.state['secret_name'])
`,
    want: { unresolved: ["conv.state['secret_name']"] },
  },
  {
    title: 'input from conv.state through a local',
    language: 'python',
    source: `def f(conv):
    name = 'narvar_api'
    name = conv.state.get('override')
    return conv.utils.get_secret(name)
`,
    want: { unresolved: ["conv.state.get('override')"] },
  },
  {
    title: 'one branch from conv.state',
    language: 'python',
    source: `def f(conv):
    name = 'x_prod_api' if conv.env == 'live' else conv.state['uat_name']
    return conv.utils.get_secret(name)
`,
    want: { unresolved: ["conv.state['uat_name']"] },
  },
  {
    title: 'an unknown function',
    language: 'python',
    source: `from vendor import lookup_name

def f(conv):
    return conv.utils.get_secret(lookup_name(conv))
`,
    want: { unresolved: ['lookup_name(conv)', 'lookup_name'] },
  },
  {
    title: 'a helper with one unknown return',
    language: 'python',
    source: `def _name(conv):
    if conv.env == 'live':
        return 'x_prod_api'
    return conv.state['name']

def f(conv):
    return conv.utils.get_secret(_name(conv))
`,
    want: { unresolved: ["conv.state['name']", '_name(conv)'] },
  },
  {
    title: 'a parameter with one unknown call site',
    language: 'python',
    source: `def fetch(conv, secret_name):
    return conv.utils.get_secret(secret_name)

def a(conv):
    return fetch(conv, 'acme_api')

def b(conv):
    return fetch(conv, conv.state['vendor_secret'])
`,
    want: { unresolved: ["conv.state['vendor_secret']", 'secret_name'] },
  },
  {
    title: 'a parameter of a function never called',
    language: 'python',
    source: `def fetch(conv, secret_name):
    return conv.utils.get_secret(secret_name)
`,
    want: { unresolved: ['secret_name'] },
  },
  {
    title: 'a parameter of a function passed as a value',
    language: 'python',
    source: `def fetch(conv, secret_name):
    return conv.utils.get_secret(secret_name)

def a(conv):
    fetch(conv, 'acme_api')
    return run_later(fetch)
`,
    want: { unresolved: ['secret_name'] },
  },
  {
    title: 'a name built in a loop',
    language: 'python',
    source: `def f(conv):
    name = 'acme'
    for part in conv.state['parts']:
        name += '_' + part
    return conv.utils.get_secret(name)
`,
    want: { unresolved: ['part', "conv.state['parts']", 'name'] },
  },
  {
    title: 'os.environ.get of a computed name',
    language: 'python',
    source: `import os

def token(service):
    return os.environ.get(f'{service}_TOKEN')
`,
    want: { unresolved: ['service', "f'{service}_TOKEN'"] },
  },
  {
    title: 'os.getenv of a name from the outside',
    language: 'python',
    source: `import os
import sys

KEY = os.getenv(sys.argv[1])
`,
    want: { unresolved: ['sys.argv[1]'] },
  },
  {
    title: 'an attribute of an unknown object',
    language: 'python',
    source: `import settings

def f(conv):
    return conv.utils.get_secret(settings.secret_name)
`,
    want: { unresolved: ['settings.secret_name'] },
  },
  {
    title: 'a module constant assigned twice',
    language: 'python',
    source: `NAME = 'a_api'
NAME = load_name()

def f(conv):
    return conv.utils.get_secret(NAME)
`,
    want: { unresolved: ['load_name()', 'NAME', 'load_name'] },
  },
  {
    title: 'a table indexed by conv.env holding a computed value',
    language: 'python',
    source: `NAMES = {'live': 'x_prod_api', 'sandbox': make_name()}

def f(conv):
    return conv.utils.get_secret(NAMES[conv.env])
`,
    want: { unresolved: ['make_name()', 'make_name', 'NAMES', 'NAMES[conv.env]'] },
  },
  {
    title: 'a table of names changed in place with a computed name',
    language: 'python',
    source: `def f(conv):
    names = {'live': 'x_prod_api', 'sandbox': 'x_uat_api'}
    names['sandbox'] = conv.state['sandbox_name']
    return conv.utils.get_secret(names[conv.env])
`,
    want: { unresolved: ["conv.state['sandbox_name']", 'names', "names['sandbox']", 'names[conv.env]'] },
  },
  {
    title: 'a module table of names changed by another function',
    language: 'python',
    source: `NAMES = {'live': 'x_prod_api', 'sandbox': 'x_uat_api'}

def configure(conv):
    NAMES['pre-release'] = conv.state['preprod_name']

def f(conv):
    return conv.utils.get_secret(NAMES[conv.env])
`,
    want: { unresolved: ["conv.state['preprod_name']", 'NAMES', "NAMES['pre-release']", 'NAMES[conv.env]'] },
  },
  {
    title: 'a list of names extended with unknown ones, then read in a loop',
    language: 'python',
    source: `import os

def report(extra):
    env_names = ['OPENSSL_CONF', 'SSLKEYLOGFILE']
    env_names.extend(extra)
    for name in env_names:
        print(name, os.environ.get(name))
`,
    want: { unresolved: ['env_names', 'extra', 'env_names.extend(extra)', 'name'] },
  },
  {
    title: 'a class attribute read as self.X that a method assigns',
    language: 'python',
    source: `class Client:
    SECRET = 'crm_api'

    def use_backup(self, conv):
        self.SECRET = conv.state['backup_secret']

    def token(self, conv):
        return conv.utils.get_secret(self.SECRET)
`,
    want: { unresolved: ['self.SECRET', 'SECRET', "conv.state['backup_secret']"] },
  },
  {
    title: 'a name imported from a module outside the project',
    language: 'python',
    source: `from vendor.config import SECRET_NAME

def f(conv):
    return conv.utils.get_secret(SECRET_NAME)
`,
    want: { unresolved: ['SECRET_NAME'] },
  },
  {
    title: 'an f-string with a placeholder from conv.state',
    language: 'python',
    source: `def f(conv):
    return conv.utils.get_secret(f"{conv.state['brand']}_api")
`,
    want: { unresolved: ["conv.state['brand']", `f"{conv.state['brand']}_api"`] },
  },
];

export const JS_CASES: CorpusCase[] = [
  {
    title: 'a const name',
    language: 'javascript',
    source: `const NAME = 'STRIPE_KEY';
export const key = process.env[NAME];
`,
    want: [{ name: 'STRIPE_KEY', literal: "'STRIPE_KEY'", environments: null, when: [] }],
  },
  {
    title: 'a ternary on a flag',
    language: 'javascript',
    source: `const isProd = process.argv.includes('--prod');
const key = process.env[isProd ? 'STRIPE_LIVE_KEY' : 'STRIPE_TEST_KEY'];
`,
    want: [
      { name: 'STRIPE_LIVE_KEY', literal: "'STRIPE_LIVE_KEY'", environments: null, when: [['isProd', true]] },
      { name: 'STRIPE_TEST_KEY', literal: "'STRIPE_TEST_KEY'", environments: null, when: [['isProd', false]] },
    ],
  },
  {
    title: 'an object table indexed by a variable',
    language: 'javascript',
    source: `const NAMES = { live: 'ACME_PROD_KEY', sandbox: 'ACME_UAT_KEY' };
function key(env) {
  return process.env[NAMES[env]];
}
`,
    want: [
      { name: 'ACME_PROD_KEY', literal: "'ACME_PROD_KEY'", environments: null },
      { name: 'ACME_UAT_KEY', literal: "'ACME_UAT_KEY'", environments: null },
    ],
  },
  {
    title: 'a ?? default after a table lookup',
    language: 'javascript',
    source: `const NAMES = { us: 'ACME_US_KEY', eu: 'ACME_EU_KEY' };
export function key(region) {
  return process.env[NAMES[region] ?? 'ACME_DEFAULT_KEY'];
}
`,
    want: [
      { name: 'ACME_US_KEY', literal: "'ACME_US_KEY'", environments: null },
      { name: 'ACME_EU_KEY', literal: "'ACME_EU_KEY'", environments: null },
      { name: 'ACME_DEFAULT_KEY', literal: "'ACME_DEFAULT_KEY'", environments: null },
    ],
  },
  {
    title: 'a template without placeholders and + of consts',
    language: 'javascript',
    source: 'const PREFIX = `ACME_`;\nconst key = process.env[PREFIX + \'API_KEY\'];\n',
    want: [{ name: 'ACME_API_KEY', literal: ['`ACME_`', "'API_KEY'"], environments: null, when: [] }],
  },
  {
    title: 'TypeScript: a typed table as const',
    language: 'typescript',
    source: `const NAMES: Record<string, string> = { live: 'ACME_PROD_KEY', sandbox: 'ACME_UAT_KEY' } as const;
export function key(env: string): string | undefined {
  return process.env[NAMES[env]];
}
`,
    want: [
      { name: 'ACME_PROD_KEY', literal: "'ACME_PROD_KEY'", environments: null },
      { name: 'ACME_UAT_KEY', literal: "'ACME_UAT_KEY'", environments: null },
    ],
  },
  {
    title: 'TypeScript: a helper returning one of two names',
    language: 'typescript',
    source: `function secretName(prod: boolean): string {
  if (prod) return 'ACME_PROD_KEY';
  return 'ACME_UAT_KEY';
}
export const key = (flag: boolean) => process.env[secretName(flag)];
`,
    want: [
      { name: 'ACME_PROD_KEY', literal: "'ACME_PROD_KEY'", environments: null },
      { name: 'ACME_UAT_KEY', literal: "'ACME_UAT_KEY'", environments: null },
    ],
  },
  {
    title: 'a let assigned in an if/else chain',
    language: 'javascript',
    source: `export function key(region) {
  let name;
  if (region === 'eu') {
    name = 'ACME_EU_KEY';
  } else {
    name = 'ACME_US_KEY';
  }
  return process.env[name];
}
`,
    want: [
      { name: 'ACME_EU_KEY', literal: "'ACME_EU_KEY'", environments: null, when: [["region === 'eu'", true]] },
      { name: 'ACME_US_KEY', literal: "'ACME_US_KEY'", environments: null, when: [["region === 'eu'", false]] },
    ],
  },
  {
    title: 'TypeScript: a || default and a satisfies table',
    language: 'typescript',
    source: `const NAMES = { us: 'ACME_US_KEY', eu: 'ACME_EU_KEY' } satisfies Record<string, string>;
export function key(region: keyof typeof NAMES | 'apac'): string | undefined {
  return process.env[NAMES[region as keyof typeof NAMES] || 'ACME_DEFAULT_KEY'];
}
`,
    want: [
      { name: 'ACME_US_KEY', literal: "'ACME_US_KEY'", environments: null },
      { name: 'ACME_EU_KEY', literal: "'ACME_EU_KEY'", environments: null },
      { name: 'ACME_DEFAULT_KEY', literal: "'ACME_DEFAULT_KEY'", environments: null },
    ],
  },
  {
    title: 'TypeScript: a ternary on conv.env is labelled with environments',
    language: 'typescript',
    source: `export function key(conv: { env: string }): string | undefined {
  return process.env[conv.env === 'live' ? 'ACME_PROD_KEY' : 'ACME_UAT_KEY'];
}
`,
    want: [
      { name: 'ACME_PROD_KEY', literal: "'ACME_PROD_KEY'", environments: ['live'] },
      { name: 'ACME_UAT_KEY', literal: "'ACME_UAT_KEY'", environments: ['sandbox', 'pre-release'] },
    ],
  },
  {
    title: "a computed read inside if (conv.env === 'live') takes the branch's environment",
    language: 'typescript',
    source: `export function key(conv: { env: string }): string | undefined {
  if (conv.env === 'live') {
    const name = 'ACME_PROD_KEY';
    return process.env[name];
  }
  return undefined;
}
`,
    want: [{ name: 'ACME_PROD_KEY', literal: "'ACME_PROD_KEY'", environments: ['live'] }],
  },
  {
    title: 'a computed read in a switch case on an alias of conv.env, after an early return',
    language: 'javascript',
    source: `export function key(conv) {
  const env = String(conv.env).toLowerCase();
  if (env === 'live') return null;
  switch (env) {
    case 'sandbox': {
      const name = 'ACME_' + 'SB_KEY';
      return process.env[name];
    }
  }
  return null;
}
`,
    want: [{ name: 'ACME_SB_KEY', literal: ["'ACME_'", "'SB_KEY'"], environments: ['sandbox'] }],
  },
  {
    title: 'a computed read in a conditional expression on conv.env takes its branch',
    language: 'javascript',
    source: `const NAME = 'ACME_UAT_KEY';
export const key = (conv) => (conv.env !== 'live' ? process.env[NAME] : undefined);
`,
    want: [{ name: 'ACME_UAT_KEY', literal: "'ACME_UAT_KEY'", environments: ['sandbox', 'pre-release'] }],
  },
  // Joined names, the same rule as Python's (the cases above of the same titles).
  {
    title: 'joined: parts set together on conv.env, one of them the same either way: the literal is the part that varies',
    language: 'typescript',
    source: `export function f(conv: Conv) {
  let tier = 'UAT';
  let suffix = '_API';
  if (conv.env === 'live') {
    tier = 'PROD';
    suffix = '_API';
  }
  return process.env['X_' + tier + suffix];
}
`,
    want: [
      { name: 'X_UAT_API', literal: "'UAT'", environments: ['sandbox', 'pre-release'], when: [] },
      { name: 'X_PROD_API', literal: "'PROD'", environments: ['live'], when: [] },
    ],
  },
  {
    title: 'joined: a template of two parts chosen by conv.env, the second the same either way',
    language: 'typescript',
    source: `export function f(conv: Conv) {
  const tier = conv.env === 'live' ? 'PROD' : 'UAT';
  const suffix = conv.env === 'live' ? '_API' : '_API';
  return process.env[\`X_\${tier}\${suffix}\`];
}
`,
    want: [
      { name: 'X_PROD_API', literal: "'PROD'", environments: ['live'], when: [] },
      { name: 'X_UAT_API', literal: "'UAT'", environments: ['sandbox', 'pre-release'], when: [] },
    ],
  },
  {
    title: 'joined: two parts set under one test, read under it: the test once',
    language: 'typescript',
    source: `export function f(legacy: boolean) {
  if (legacy) {
    const vendor = 'OLD_CRM';
    const kind = 'KEY';
    return process.env[vendor + '_' + kind];
  }
}
`,
    want: [{ name: 'OLD_CRM_KEY', literal: "'OLD_CRM'", environments: null, when: [['legacy', true]] }],
  },
  {
    title: 'joined: a separator joining a list written out',
    language: 'typescript',
    source: `export function f(conv: Conv) {
  const tier = conv.env === 'live' ? 'PROD' : 'UAT';
  return process.env[['X', tier, 'API'].join('_')];
}
`,
    want: [
      { name: 'X_PROD_API', literal: "'PROD'", environments: ['live'], when: [] },
      { name: 'X_UAT_API', literal: "'UAT'", environments: ['sandbox', 'pre-release'], when: [] },
    ],
  },
  {
    title: 'conv.env in an array: its keys are indices, the test is no environment test',
    language: 'javascript',
    source: `const ENVS = ['live'];

export function f(conv) {
  const tier = conv.env in ENVS ? 'prod' : 'uat';
  return conv.utils.get_secret('x_' + tier + '_api');
}
`,
    want: [
      { name: 'x_prod_api', literal: "'prod'", environments: null, when: [] },
      { name: 'x_uat_api', literal: "'uat'", environments: null, when: [] },
    ],
  },
  // `in` an object, its keys: the environments they name.
  ...(
    [
      ['the in operator', 'conv.env in NAMES'],
      ['Object.keys(…).includes', 'Object.keys(NAMES).includes(conv.env)'],
      ['Object.hasOwn', 'Object.hasOwn(NAMES, conv.env)'],
      ['hasOwnProperty', 'NAMES.hasOwnProperty(conv.env)'],
    ] as const
  ).map(
    ([how, test]): CorpusCase => ({
      title: `conv.env a key of a const object, tested by ${how}`,
      language: 'typescript',
      source: `const NAMES: Record<string, string> = { live: 'x_prod_api', sandbox: 'x_sandbox_api' };

export function f(conv: Conv) {
  const name = ${test} ? NAMES[conv.env] : 'x_default_api';
  return conv.utils.get_secret(name);
}
`,
      want: [
        { name: 'x_prod_api', literal: "'x_prod_api'", environments: ['live'] },
        { name: 'x_sandbox_api', literal: "'x_sandbox_api'", environments: ['sandbox'] },
        { name: 'x_default_api', literal: "'x_default_api'", environments: ['pre-release'] },
      ],
    }),
  ),
];

export const JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'joined: an array with a hole or a spread joined',
    language: 'typescript',
    source: "export const v = process.env[['X', ...rest].join('_')];\n",
    want: { unresolved: ["['X', ...rest].join('_')", '...rest'] },
  },
  {
    title: 'a name from the request',
    language: 'javascript',
    source: `export function handler(req) {
  return process.env[req.query.name];
}
`,
    want: { unresolved: ['req.query.name'] },
  },
  {
    title: 'a template with a placeholder',
    language: 'typescript',
    source: 'export function key(service: string) {\n  return process.env[`${service.toUpperCase()}_KEY`];\n}\n',
    want: { unresolved: ['service.toUpperCase()', 'service', '`${service.toUpperCase()}_KEY`'] },
  },
  {
    title: 'a let reassigned from input',
    language: 'javascript',
    source: `let name = 'ACME_KEY';
name = readName();
export const key = process.env[name];
`,
    want: { unresolved: ['readName()', 'name', 'readName'] },
  },
];

// Iteration, comprehensions, lambdas and constructors (issue 51): in a file of their own.
PYTHON_CASES.push(...ITER_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...ITER_PYTHON_UNRESOLVED);
JS_CASES.push(...ITER_JS_CASES);
JS_UNRESOLVED.push(...ITER_JS_UNRESOLVED);
PYTHON_CASES.push(...UNPACK_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...UNPACK_PYTHON_UNRESOLVED);
JS_CASES.push(...UNPACK_JS_CASES);
JS_UNRESOLVED.push(...UNPACK_JS_UNRESOLVED);
// Tables of tables and constants of the environment, JavaScript and TypeScript with their Python twins (issue 51).
PYTHON_CASES.push(...TABLES_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...TABLES_PYTHON_UNRESOLVED);
JS_CASES.push(...TABLES_JS_CASES);
JS_UNRESOLVED.push(...TABLES_JS_UNRESOLVED);
PYTHON_CASES.push(...CLASS_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...CLASS_PYTHON_UNRESOLVED);
JS_CASES.push(...CLASS_JS_CASES);
JS_UNRESOLVED.push(...CLASS_JS_UNRESOLVED);
PYTHON_CASES.push(...HELPER_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...HELPER_PYTHON_UNRESOLVED);
JS_CASES.push(...HELPER_JS_CASES);
JS_UNRESOLVED.push(...HELPER_JS_UNRESOLVED);
PYTHON_CASES.push(...HANDED_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...HANDED_PYTHON_UNRESOLVED);
JS_CASES.push(...HANDED_JS_CASES);
JS_UNRESOLVED.push(...HANDED_JS_UNRESOLVED);
PYTHON_CASES.push(...PARAM_ITER_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...PARAM_ITER_PYTHON_UNRESOLVED);
JS_CASES.push(...PARAM_ITER_JS_CASES);
JS_UNRESOLVED.push(...PARAM_ITER_JS_UNRESOLVED);
PYTHON_CASES.push(...ROW_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...ROW_PYTHON_UNRESOLVED);
JS_CASES.push(...ROW_JS_CASES);
JS_UNRESOLVED.push(...ROW_JS_UNRESOLVED);
PYTHON_CASES.push(...METHOD_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...METHOD_PYTHON_UNRESOLVED);
JS_CASES.push(...METHOD_JS_CASES);
JS_UNRESOLVED.push(...METHOD_JS_UNRESOLVED);
JS_CASES.push(...IMPORT_JS_CASES);
JS_UNRESOLVED.push(...IMPORT_JS_UNRESOLVED);
PYTHON_CASES.push(...IMPORT_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...IMPORT_PYTHON_UNRESOLVED);
PYTHON_CASES.push(...TEMPLATE_PYTHON_CASES);
PYTHON_UNRESOLVED.push(...TEMPLATE_PYTHON_UNRESOLVED);
JS_CASES.push(...TEMPLATE_JS_CASES);
JS_UNRESOLVED.push(...TEMPLATE_JS_UNRESOLVED);
