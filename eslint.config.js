import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'report/**', 'bench/results/**', 'test/docs/.generated/**', 'src/backend/wasm/kernels.generated.ts', 'src/backend/wasm/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Take an explicit seed; zeroth never uses Math.random.' }],
    },
  },
  {
    files: ['src/**/*.ts', 'estimators/**/*.ts', 'problems/**/*.ts'],
    ignores: ['src/node/**', 'src/distributed/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'worker_threads', 'child_process', 'os'], message: 'The core runs in browsers: Node-only code lives under src/node/.' }] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'worker_threads', 'child_process', 'os'], message: 'The core runs in browsers: Node-only code lives under src/node/.' },
        { group: ['**/estimators/**', '**/problems/**'], message: 'src/ depends on neither estimators/ nor problems/.' },
      ] }],
    },
  },
  {
    files: ['src/node/**/*.ts', 'src/distributed/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/estimators/**', '**/problems/**'], message: 'src/ depends on neither estimators/ nor problems/.' }] }] },
  },
);
