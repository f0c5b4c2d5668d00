// ESLint: typescript-eslint's type-checked rules everywhere, the rules of hooks in the renderer,
// and the house dependency rules (eslint/boundaries.ts). Types come from the nearest tsconfig.json,
// so shared/, renderer/ and main/ are linted against their own libraries.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import house from './eslint/boundaries.ts';

export default defineConfig(
  { ignores: ['dist/**', 'release/**', 'test-results/**', 'playwright-report/**', 'bench/results/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { house },
    rules: {
      'house/boundaries': 'error',
      // Input sanitizers strip control characters on purpose (receipt text, card data, printer bytes).
      'no-control-regex': 'off',
      // An async method that does not await still honours a Promise-returning port; keep the signature.
      '@typescript-eslint/require-await': 'off',
      // Forwarding an AbortSignal's reason or a caught value keeps what the caller gave us.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // node:sqlite hands rows back as SQLOutputValue unions and parsed JSON is unknown: String() on
      // them is the deliberate conversion (the columns are TEXT/INTEGER by schema), not an accident.
      '@typescript-eslint/no-base-to-string': 'off',
      // `_`-named bindings and rest siblings are the idiom for "leave this one out".
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': { rules: reactHooks.rules } },
    // The classic rules of hooks; the React Compiler's rules are for code the compiler builds, and this
    // renderer is not compiled by it.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // The renderer runs on Preact's compat layer, where `autoFocus` only sets the HTML attribute
      // (ignored on elements a screen inserts later): focus with `ref={focusOnMount}` instead.
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXOpeningElement[name.name=/^[a-z]/] > JSXAttribute[name.name='autoFocus']",
          message: 'Use ref={focusOnMount} (renderer/components/focus-on-mount.ts): autoFocus does nothing under Preact.',
        },
      ],
    },
  },
  {
    // Tests read JSON answers from real servers: `any` there is the honest type of a wire payload.
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
