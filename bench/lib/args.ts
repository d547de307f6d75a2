/** A whole-number flag of a benchmark (`--name <n>`), at least `min`; the message names the flag. */
export function positiveInt(value: string | undefined, name: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, not '${value}'`);
  return n;
}
