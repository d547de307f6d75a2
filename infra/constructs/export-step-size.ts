/**
 * The export step's memory and timeout, in a module of their own (no CDK) so that the export
 * benchmark (bench/export.ts) runs its measured process with the V8 heap Lambda's Node.js runtime
 * gives a function of this size (bench/lib/lambda-node-args.ts).
 *
 * Why 512 MB: Lambda's runtime sizes V8's young generation from the function's memory (a tenth of
 * it, two semi-spaces of a twentieth), and an export allocates without pause, so the young
 * generation grows to its limit: at 1024 MB the export's peak RSS was about 270 MiB, at 512 MB
 * about 220 MiB, the same code (docs/benchmarks.md, "Compliance exports"). Lambda's CPU comes with
 * memory, so 512 MB has half the CPU of 1024 MB: the same work takes twice as long for the same
 * cost in GB-seconds, and a day gets 15 minutes (Lambda's most) instead of 5.
 */
export const EXPORT_STEP_MEMORY_MB = 512;
/** One call writes one whole day (the Task's retries write it again whole). */
export const EXPORT_STEP_TIMEOUT_MINUTES = 15;
