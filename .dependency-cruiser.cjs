// The shape of the project, checked by `npm run lint`: imports follow the data path
// spec -> generated -> server / conformance -> scripts, with support/ beneath everything, and no
// import cycles. A failing rule names the import that breaks it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Files must not import each other in a circle, however long.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-scripts',
      comment: 'scripts/ holds entry points that compose the rooms; no other room stands on it.',
      severity: 'error',
      from: { pathNot: '^scripts/' },
      to: { path: '^scripts/' },
    },
    {
      name: 'generated-stands-alone',
      comment: 'generated/ is derived from the YAML alone.',
      severity: 'error',
      from: { path: '^generated/' },
      to: { path: '^(spec|support|server|conformance|scripts)/' },
    },
    {
      name: 'support-stands-alone',
      comment:
        'support/src is the shared floor (flags, ports, child processes): it imports no room.',
      severity: 'error',
      from: { path: '^support/src/' },
      to: { path: '^(spec|generated|server|conformance|scripts|support/testing)/' },
    },
    {
      name: 'spec-stands-on-generated-only',
      comment: 'The executable contract imports nothing but generated/ and libraries.',
      severity: 'error',
      from: { path: '^spec/src/' },
      to: { path: '^(support|server|conformance|scripts)/' },
    },
    {
      name: 'server-does-not-use-conformance',
      comment:
        'The reference server is one partner; the suite that certifies partners is not part of it.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^conformance/' },
    },
    {
      name: 'conformance-uses-server-entry-only',
      comment:
        'The suite certifies any partner: it may start the reference server through its public entry, never reach into it.',
      severity: 'error',
      from: { path: '^conformance/' },
      to: { path: '^server/', pathNot: '^server/src/index\\.ts$' },
    },
    {
      name: 'testing-helpers-stay-in-tests',
      comment: 'support/testing holds helpers for tests; shipped code does not use them.',
      severity: 'error',
      from: { pathNot: '(^|/)test/|^support/testing/' },
      to: { path: '^support/testing/' },
    },
    {
      name: 'tests-keep-to-their-room',
      comment:
        "A room's tests and test helpers are its own; shared test helpers live in support/testing.",
      severity: 'error',
      from: { path: '^([^/]+)/' },
      to: { path: '^[^/]+/test/', pathNot: '^$1/test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|data|\\.typecheck-[^/]*)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};
