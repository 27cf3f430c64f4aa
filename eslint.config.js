// One flat config for the whole workspace: typescript-eslint's type-aware recommended rules, and which
// project may import which (docs/architecture.md, "Boundaries"). Projects add their own rules on top.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Which projects may import which, by their Nx tags (`nx.tags` in each package.json). */
export const projectBoundaries = [
  // Deployables share only libraries: an app never imports another app.
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:client', 'type:testing'],
  },
  // Infrastructure may know the contracts, never the service's code.
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts'] },
  // Delivery tooling ships the workload: it reads the chart and the contracts, never the service's code.
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing'] },
  // The service's typed client stands alone; its tests start the service through the test harness.
  {
    sourceTag: 'type:client',
    onlyDependOnLibsWithTags: ['type:client', 'type:contracts', 'type:testing'],
  },
  // The end-to-end project looks at the whole system.
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: [
      'type:app',
      'type:infra',
      'type:contracts',
      'type:client',
      'type:testing',
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/out-tsc/**',
      '**/node_modules/**',
      '**/cdk.out/**',
      '**/.data/**',
      '**/imports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, depConstraints: projectBoundaries },
      ],
    },
  },
);
