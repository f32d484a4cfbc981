// ESLint flat config. Fast on purpose: typescript-eslint "recommended" without type information, plus the
// import-boundary rules that keep the layout of docs/ARCHITECTURE.md true (see CONTRIBUTING.md, "Boundaries").
//
// no-restricted-imports matches the import specifier as written, not the resolved file, so rules that depend
// on where a file sits (modules importing modules) are generated per folder depth below.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const JS = '**/*.{js,mjs,cjs}';

/** Another module's file other than its index, e.g. `../customers/queries` or `../customers/commands/x`. */
const otherModuleInternals = (depth) => `^(?:\\.\\./){${depth + 1}}[^./][^/]*/(?!index(?:\\.[cm]?[jt]s)?$).+`;

/** Same, when a path spells the folder out (`../../modules/customers/routes`), from any depth. */
const MODULES_SPELLED_OUT = '(?:^|/)modules/[^/]+/(?!index(?:\\.[cm]?[jt]s)?$).+';

const MODULE_BOUNDARY_MESSAGE =
  'Modules talk to each other only through their public surface: import "../<module>" (its index.ts), never its commands, queries, routes, policy, presenters or listeners.';

/** One config object per folder depth inside apps/server/src/modules/<m>/ (0 = the module root). */
const moduleBoundaries = [0, 1, 2, 3, 4, 5].map((depth) => ({
  name: `touchpoint/boundaries/modules-depth-${depth}`,
  files: [`apps/server/src/modules/*/${'*/'.repeat(depth)}*.{ts,tsx,mts,js,mjs}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: otherModuleInternals(depth), message: MODULE_BOUNDARY_MESSAGE },
          { regex: MODULES_SPELLED_OUT, message: MODULE_BOUNDARY_MESSAGE },
        ],
      },
    ],
  },
}));

/** packages/shared is pure: zod and its own files only (tests may also use vitest). */
const sharedOnly = (extraAllowed) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: `^(?!(?:zod${extraAllowed.map((p) => `|${p}`).join('')})(?:/|$)|\\.\\.?(?:/|$)).*`,
          message:
            'packages/shared imports nothing but zod (no node builtins, pg, drizzle-orm, fastify or apps/*): it runs in the browser, the widget and the server alike.',
        },
        { regex: '(?:^|/)apps/', message: 'packages/shared must not reach into apps/*.' },
      ],
    },
  ],
});

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/migrations/',
    '.tmp/',
    'data/',
    'coverage/',
    'test-results/',
    'bench/results/',
    'docs/screenshots/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'touchpoint/defaults',
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // The server logs through Fastify's logger (structured, with request ids); console is for CLIs and tools.
      'no-console': 'warn',
    },
  },
  {
    name: 'touchpoint/plain-js',
    files: [JS],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'touchpoint/browser',
    files: ['apps/web/**', 'apps/widget/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The two classic hooks rules (the React Compiler rules of the plugin's `recommended` preset are not adopted).
    name: 'touchpoint/react-hooks',
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // The package index carries zod and every contract: values from it would land in the browser bundle.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@touchpoint/shared',
              allowTypeImports: true,
              message:
                'Import types only from @touchpoint/shared; runtime helpers come from zod-free subpaths (e.g. @touchpoint/shared/attachment-types).',
            },
          ],
        },
      ],
    },
  },
  {
    name: 'touchpoint/console-allowed',
    files: ['bench/**', 'e2e/**', '.ci/**', 'scripts/**', 'apps/server/bin/**', 'apps/server/src/main.ts', 'apps/server/src/cli/**'],
    rules: { 'no-console': 'off' },
  },

  // ---- Import boundaries (DESIGN.md section 2 and 3) ----
  {
    name: 'touchpoint/boundaries/platform',
    // The kernel is domain-agnostic: modules plug into it (Module.register), never the other way round.
    files: ['apps/server/src/platform/**', 'apps/server/src/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(?:^|/)modules(?:/|$)',
              message: 'platform/ and db/ never import modules/: define a port in platform and let the module register into it.',
            },
          ],
        },
      ],
    },
  },
  ...moduleBoundaries,
  {
    name: 'touchpoint/boundaries/clients',
    files: ['apps/web/**', 'apps/widget/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@touchpoint/server(?:/|$)|(?:^|/)apps/server(?:/|$)|/server/|^(?:\\.\\./)+server$',
              message: 'The web app and the widget never import the server: share contracts through @touchpoint/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    name: 'touchpoint/boundaries/shared',
    files: ['packages/shared/**'],
    rules: sharedOnly([]),
  },
  {
    name: 'touchpoint/boundaries/shared-tests',
    files: ['packages/shared/**/*.test.ts'],
    rules: sharedOnly(['vitest']),
  },
]);
