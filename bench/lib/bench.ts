/** What bench/run.ts expects from a benchmark module. */
export interface Bench {
  /** Runs with the arguments after the name; resolves to the exit code (0 when every target passes). */
  run(argv: string[]): Promise<number>;
}
