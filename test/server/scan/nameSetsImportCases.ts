// Corpus cases: a JavaScript / TypeScript read of a name imported from another module of the
// project by its relative path (`import { CRM_KEY } from './names'`), under an alias too, and one
// the module chooses by the environment: the module's exported constants, as the session's lookup
// hands them (jsModuleNames), and through a namespace import (`names.CRM_KEY`). A name the module
// lacks and a package's stay unknown. Each source has exactly one computed read.

import type { CorpusCase } from './nameSetsCorpusCases';

const NAMES_TS = `export const CRM_KEY = 'crm_api';
export const PAY_KEY = process.env.REGION === 'eu' ? 'pay_eu' : 'pay_us';
`;

const NAMES_MODULE = {
  uri: 'file:///web/names.ts',
  text: NAMES_TS,
  names: {
    CRM_KEY: [{ name: 'crm_api', literal: "'crm_api'", environments: null }],
    PAY_KEY: [
      { name: 'pay_eu', literal: "'pay_eu'", environments: null },
      { name: 'pay_us', literal: "'pay_us'", environments: null },
    ],
  },
};

export const IMPORT_JS_CASES: CorpusCase[] = [
  {
    title: 'a constant imported from a module of the project by its relative path',
    language: 'typescript',
    source: `import { CRM_KEY } from './names';

export function hook(conv: Conversation): string {
  return conv.utils.get_secret(CRM_KEY);
}
`,
    modules: { './names': NAMES_MODULE },
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, module: './names' }],
  },
  {
    title: 'an imported constant under an alias that its module chooses',
    language: 'javascript',
    source: `import { PAY_KEY as key } from './names';

export function pay(conv) {
  return conv.utils.get_secret(key);
}
`,
    modules: { './names': NAMES_MODULE },
    want: [
      { name: 'pay_eu', literal: "'pay_eu'", environments: null, module: './names' },
      { name: 'pay_us', literal: "'pay_us'", environments: null, module: './names' },
    ],
  },
  {
    title: 'a constant read through a namespace import of the module',
    language: 'typescript',
    source: `import * as names from './names';

export function hook(conv: Conversation): string {
  return conv.utils.get_secret(names.CRM_KEY);
}
`,
    modules: { './names': NAMES_MODULE },
    want: [{ name: 'crm_api', literal: "'crm_api'", environments: null, module: './names' }],
  },
];

export const IMPORT_JS_UNRESOLVED: CorpusCase[] = [
  {
    title: 'a name the module does not export',
    language: 'typescript',
    source: `import { MISSING } from './names';

export function hook(conv: Conversation): string {
  return conv.utils.get_secret(MISSING);
}
`,
    modules: { './names': NAMES_MODULE },
    want: { unresolved: ['MISSING'] },
  },
  {
    title: 'a name the module does not export, read through a namespace import',
    language: 'typescript',
    source: `import * as names from './names';

export function hook(conv: Conversation): string {
  return conv.utils.get_secret(names.MISSING);
}
`,
    modules: { './names': NAMES_MODULE },
    want: { unresolved: ['names.MISSING'] },
  },
  {
    title: "a package's constant",
    language: 'javascript',
    source: `import { CRM_KEY } from 'crm-sdk';

export function hook(conv) {
  return conv.utils.get_secret(CRM_KEY);
}
`,
    want: { unresolved: ['CRM_KEY'] },
  },
];
