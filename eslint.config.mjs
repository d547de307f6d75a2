import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.caseflow/', 'coverage/', '.bench/', 'web/console/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['functions/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@aws-sdk/*', 'aws-sdk', '@aws-lambda-powertools/*', '@middy/*'], message: 'functions/core is the pure domain: no AWS SDK, no runtime adapters.' },
        { group: ['../adapters/*', '../handlers/*'], message: 'core must not depend on adapters or handlers.' },
        { group: ['json-canonicalize'], message: 'Every hash takes its canonical JSON from core/canonical-json.ts (json-canonicalize is its test reference).' },
      ] }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the Clock port: time is passed into the core.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the Clock port: time is passed into the core.' },
      ],
    },
  },
  {
    files: ['functions/adapters/**/*.ts', 'functions/handlers/**/*.ts', 'local/**/*.ts', 'infra/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['json-canonicalize'], message: 'Every hash takes its canonical JSON from functions/core/canonical-json.ts (json-canonicalize is its test reference).' }] }] },
  },
  { files: ['web/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
