import boundaries from 'eslint-plugin-boundaries';
import root from '../../eslint.config.js';

/** The service's layers, by folder (docs/architecture.md, "Layers"). */
const layers = [
  { type: 'domain', pattern: 'src/domain/**', partialMatch: false },
  { type: 'application', pattern: 'src/application/**', partialMatch: false },
  { type: 'adapters', pattern: 'src/adapters/**', partialMatch: false },
  { type: 'http', pattern: 'src/http/**', partialMatch: false },
];
/** The composition root: the files that wire everything (server.ts) and own the process (main.ts, run-service.ts, instrument.ts). */
const compositionRoot = [
  { category: 'composition-root', pattern: 'src/{server,main,run-service,instrument}.ts' },
];

/** The dependency rule: the domain is pure, and nothing at the edges reaches into HTTP or the wiring. */
const dependencyRule = {
  default: 'allow',
  // Packages and Node modules too: the domain may use neither.
  checkAllOrigins: true,
  policies: [
    {
      from: { element: { type: 'domain' } },
      disallow: {
        to: [
          { element: { type: '!domain' } },
          { module: { origin: 'external' } },
          { module: { origin: 'core' } },
        ],
      },
      message: 'The domain imports only the domain: no I/O, no framework, no other layer.',
    },
    {
      from: { element: { type: 'application' } },
      disallow: {
        to: [{ element: { type: 'http' } }, { file: { categories: 'composition-root' } }],
      },
      message: 'Use cases do not know HTTP or the composition root.',
    },
    {
      from: { element: { type: 'adapters' } },
      disallow: {
        to: [{ element: { type: 'http' } }, { file: { categories: 'composition-root' } }],
      },
      message: 'Adapters do not import the HTTP layer or the composition root.',
    },
  ],
};

export default [
  ...root,
  {
    files: ['src/**/*.ts'],
    // Specifications may use any fixture; the rule is about the code they specify.
    ignores: ['src/**/*.test.ts', 'src/**/testing/**'],
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': layers,
      'boundaries/files': compositionRoot,
    },
    rules: { 'boundaries/dependencies': ['error', dependencyRule] },
  },
];
