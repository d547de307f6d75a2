import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './paths';

export interface TargetResult {
  measure: string;
  result: string;
  target: string;
  /** null for figures reported without a target. */
  pass: boolean | null;
}

export function printTargets(title: string, rows: TargetResult[]): void {
  const table = [['Measure', 'Result', 'Target', 'Verdict'], ...rows.map((r) => [r.measure, r.result, r.target, r.pass === null ? '-' : r.pass ? 'PASS' : 'FAIL'])];
  const widths = table[0]?.map((_, c) => Math.max(...table.map((row) => row[c]?.length ?? 0))) ?? [];
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  console.log(`\n${title}\n${line(table[0] ?? [])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of table.slice(1)) console.log(line(row));
}

/** Writes machine-readable results to .bench/<name>.json (gitignored; `name` may name a subdirectory) and returns the path. */
export function writeResults(name: string, results: unknown): string {
  const file = join(ROOT, '.bench', `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
