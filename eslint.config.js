import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const DETERMINISM =
  'The engine must be deterministic: a shared scenario must replay bit for bit in Node and every browser.';

const forbidden = [
  ['Math', 'random', 'use the seeded PRNG in algorithms/sim/rng.ts'],
  ['Date', 'now', 'use simulated time (World.now)'],
  ['performance', 'now', 'use simulated time (World.now)'],
  ['Math', 'log', 'its last bits differ between JS engines; use integer arithmetic'],
  ['Math', 'exp', 'its last bits differ between JS engines; use integer arithmetic'],
  ['Math', 'pow', 'its last bits differ between JS engines; use integer multiplication'],
  ['Math', 'sin', 'its last bits differ between JS engines; use integer arithmetic'],
  ['Math', 'cos', 'its last bits differ between JS engines; use integer arithmetic'],
  ['Math', 'sqrt', 'use integer arithmetic'],
];

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'test-results/', 'playwright-report/', '.scratch/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      // The engine's public API is algorithms/index.ts: the app never reaches into its internals.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/algorithms/*', '**/algorithms/**/*', '!**/algorithms/index'],
              message:
                'The app uses the engine only through algorithms/index.ts (its public API); export what you need from there.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine knows nothing above it: no scenario schema, registry, algorithm or invariant.
    files: ['algorithms/sim/**/*.ts'],
    ignores: ['algorithms/sim/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '../**/*'],
              message:
                'algorithms/sim is the engine: it imports nothing above it (the contract it offers algorithms is sim/types.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['algorithms/**/*.ts'],
    ignores: ['algorithms/cli.ts', 'algorithms/bench/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...forbidden.map(([object, property, hint]) => ({
          object,
          property,
          message: `${DETERMINISM} Do not use ${object}.${property} under algorithms/: ${hint}.`,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        // Catch destructuring / aliasing such as `const { random } = Math` or `const M = Math`.
        {
          selector:
            "VariableDeclarator[init.type='Identifier'][init.name=/^(Math|Date|performance)$/]",
          message: `${DETERMINISM} Do not alias Math, Date or performance under algorithms/.`,
        },
        {
          selector: "MemberExpression[object.name='Math'][computed=true]",
          message: `${DETERMINISM} Do not access Math members by computed name under algorithms/.`,
        },
      ],
    },
  },
]);
