// ESLint (flat config) for the whole repository: the server, db, media, tests and bench in
// TypeScript, and the SvelteKit web app in apps/web (Svelte 5, <script lang="ts">).
// Type checking is not ESLint's job here: `npm test` runs tsc and svelte-check, so the rules are
// the syntactic recommended sets — except for promises in the TypeScript outside the web app: the
// repositories are asynchronous (db/database.ts), and a check that is not awaited (an access
// check, a write) passes silently. Those few rules need type information (the project service).
// Formatting is Prettier's (.prettierrc); no rule here is about layout.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// The boundary of the web app: from the server it may import only the shared contract
// (`$server/shared/**`), by that alias; nothing of db or media, and no relative path out of apps/web.
const webBoundary = {
  server: String.raw`^\$server(/(?!shared/)|$)`,
  dbOrMedia: String.raw`^\$(db|media)(/|$)`,
  // A pattern sees the path as written, not resolved: leaving apps/web takes three `../` or more, and
  // no folder of apps/web/src is named server, db or media, so such a climb to such a name leaves the app.
  // Into server/src/shared it may climb: files the Node tests load too (no `$server` alias there).
  relative: String.raw`^(\.\./){3,}(server(/(?!src/shared/)|$)|db(/|$)|media(/|$))`,
};
const webBoundaryMessage = 'The web app imports from the server only its shared contract, as `$server/shared/…`.';

export default defineConfig(
  {
    ignores: ['node_modules/', 'data/', 'apps/web/build/', 'apps/web/.svelte-kit/', 'bench/out/', 'tests/out/', 'db/migrations/'],
  },
  {
    linterOptions: {
      // A disable comment that disables nothing is an error, so none goes stale.
      reportUnusedDisableDirectives: 'error',
      reportUnusedInlineConfigs: 'error',
    },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,
  svelte.configs.prettier,
  {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
    },
  },
  {
    files: ['apps/web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
    rules: {
      // TypeScript (svelte-check) resolves names in components; ESLint's scope analysis of
      // template and type positions adds nothing but false alarms.
      'no-undef': 'off',
    },
  },
  {
    rules: {
      // SvelteKit's base path is not set (the app is served at /), so `resolve()` around every href
      // and goto() would change nothing.
      'svelte/no-navigation-without-resolve': 'off',
      // The state classes replace whole Maps and Sets in $state.raw / $derived (never mutate them in
      // place), and the rest are local temporaries: SvelteMap / SvelteSet would add nothing.
      'svelte/prefer-svelte-reactivity': 'off',
      // The two uses are escapes the template needs: a literal brace in an attribute, a kept space.
      'svelte/no-useless-mustaches': 'off',
      // Every control character in a regular expression here is deliberate: the sanitisers of
      // header, file-name and text input are made of them.
      'no-control-regex': 'off',
      // `_`-prefixed names are deliberately unused (positional parameters, rest omissions).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // A promise is awaited, returned, or handed on with `void` on purpose: never forgotten. An async
    // function where a plain one is expected (a condition, a callback whose result is ignored) is an error.
    files: ['server/**/*.ts', 'db/**/*.ts', 'media/**/*.ts', 'bench/**/*.ts', 'tests/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false, properties: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // Repositories take their tables from `database.tables` (db/database.ts): a table object carries
    // its dialect's conversions, so one imported from db/schema.ts would speak SQLite to PostgreSQL.
    // Types and the enumerations (UPPER_CASE) may still be imported; every table is a lowerCamel value.
    files: ['server/src/**/*.ts', 'media/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/schema.ts', '**/db/schema.pg.ts'],
              importNamePattern: '^[a-z]',
              allowTypeImports: true,
              message: 'Take tables from `database.tables` (db/database.ts), not from the schema module: see docs/architecture.md, "Repositories on either dialect".',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read untyped JSON answers and socket payloads; tsc still checks what they do with them.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['apps/web/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: webBoundary.server, message: webBoundaryMessage },
            { regex: webBoundary.dbOrMedia, message: webBoundaryMessage },
            { regex: webBoundary.relative, message: webBoundaryMessage },
          ],
        },
      ],
      // The same boundary for `import('…')` types and dynamic imports, which no-restricted-imports does not see.
      'no-restricted-syntax': [
        'error',
        ...['TSImportType > Literal.source', 'ImportExpression > Literal.source'].flatMap((node) =>
          // esquery's /regex/ cannot hold a slash, not even escaped: spell it \x2F.
          Object.values(webBoundary).map((regex) => ({ selector: `${node}[value=/${regex.replaceAll('/', String.raw`\x2F`)}/]`, message: webBoundaryMessage })),
        ),
      ],
    },
  },
);
