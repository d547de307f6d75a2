/**
 * The V8 flags AWS Lambda's Node.js runtime starts `node` with for a function of `memoryMb`
 * (its /var/runtime/bootstrap): `--expose-gc`, a young generation of a tenth of the memory (two
 * semi-spaces of half that each) and the rest for the old generation, in whole MB as the shell's
 * `expr` divides. A benchmark that runs a function's code in a child process passes them, so that
 * the child's heap, and with it its peak RSS and its garbage collection, are those of the deployed
 * function and not of Node's defaults (a 4 GiB heap on this machine).
 */
export function lambdaNodeArgs(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return ['--expose-gc', `--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}
