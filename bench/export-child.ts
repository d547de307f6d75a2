/**
 * The export benchmark's child phases (bench/export.ts `--child`) as their own entry point: the
 * benchmark bundles it with esbuild as CDK bundles a Lambda function (one CommonJS file, every
 * dependency inside), so the export's peak RSS is that of the code as deployed, not of tsx
 * compiling TypeScript in the same process.
 */
import { run } from './export';

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
