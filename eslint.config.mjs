// Lint: typescript-eslint plus Nx module boundaries with real tags (see docs/architecture.md).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const domainBannedImports = [
  '@nestjs/*',
  'class-validator',
  'class-transformer',
  'better-sqlite3',
  'pg',
  '@eventstore/*',
  'express',
  'jose',
  'exceljs',
  'react',
  'fs',
  'node:fs',
  'child_process',
  'node:child_process',
];

// The read side may use every layer below the application; the application and the apps, that too.
const upToProjections = [
  'layer:kernel',
  'layer:config',
  'layer:money',
  'layer:policy',
  'layer:ledger',
  'layer:event-store',
  'layer:projections',
];
const upToApplication = [...upToProjections, 'layer:application'];

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      'apps/dashboard/vite.config.*',
      // openapi-typescript's output from docs/openapi.json (scripts/openapi.mjs), not written by hand.
      'apps/dashboard/src/api/generated/**',
      'tmp/**',
      'data/**',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // @hz/kernel (canonical JSON, business time) depends on nothing of ours; every layer may use it.
            { sourceTag: 'layer:kernel', onlyDependOnLibsWithTags: ['layer:kernel'] },
            // @hz/config (the environment schema) is a leaf too; the stores, the application and the apps read it.
            {
              sourceTag: 'layer:config',
              onlyDependOnLibsWithTags: ['layer:kernel', 'layer:config'],
            },
            { sourceTag: 'layer:money', onlyDependOnLibsWithTags: ['layer:kernel', 'layer:money'] },
            {
              sourceTag: 'layer:policy',
              onlyDependOnLibsWithTags: ['layer:kernel', 'layer:money', 'layer:policy'],
            },
            {
              sourceTag: 'layer:ledger',
              onlyDependOnLibsWithTags: [
                'layer:kernel',
                'layer:money',
                'layer:policy',
                'layer:ledger',
              ],
            },
            {
              sourceTag: 'layer:event-store',
              onlyDependOnLibsWithTags: ['layer:kernel', 'layer:config', 'layer:event-store'],
            },
            { sourceTag: 'layer:projections', onlyDependOnLibsWithTags: upToProjections },
            { sourceTag: 'layer:application', onlyDependOnLibsWithTags: upToApplication },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: upToApplication },
            { sourceTag: 'type:domain', bannedExternalImports: domainBannedImports },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Domain code never reads the clock or randomness: `now` and ids come in through commands.
    files: [
      'libs/kernel/src/**/*.ts',
      'libs/money/src/**/*.ts',
      'libs/policy/src/**/*.ts',
      'libs/ledger/src/**/*.ts',
    ],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Domain code must not read the clock; take `now` from the command.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Domain code must not read the clock; take `now` from the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Domain code must not use randomness.',
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(randomUUID|randomBytes|randomInt|getRandomValues)$/]',
          message:
            'Domain code must not use randomness or generate ids; take them from the command.',
        },
        {
          selector:
            'CallExpression[callee.name=/^(randomUUID|randomBytes|randomInt|setTimeout|setInterval)$/]',
          message: 'Domain code must stay pure: no randomness, no timers.',
        },
        {
          selector: "MemberExpression[object.name='process']",
          message: 'Domain code must not read the environment.',
        },
      ],
    },
  },
];
