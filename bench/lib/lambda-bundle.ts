import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { median, round } from './stats';

export interface BundleReport {
  entry: string;
  outfile: string;
  metafile: string;
  bytes: number;
  gzipBytes: number;
  /** Inputs by bytes they contribute to the minified output, largest first. */
  topInputs: { path: string; bytes: number }[];
  /** The same, added up per directory: many small files (zod's 60-odd locales) show up here. */
  topDirectories: { name: string; bytes: number; share: number }[];
  /** The same, added up per npm package (or `(project)` for the repository's own code). */
  topPackages: { name: string; bytes: number; share: number }[];
  /** Packages left out of the bundle (the Lambda runtime provides them); Node built-ins not listed. */
  externals: string[];
}

/** `node_modules/@scope/pkg/...` or `node_modules/pkg/...` → the package name; else the project. */
export function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return '(project)';
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}

/**
 * Bundles a handler the way CDK's NodejsFunction does for a Node 22 runtime: esbuild, platform
 * node, target node22, CommonJS, minified, with the AWS SDK v3 left to the runtime.
 */
export async function bundleLikeNodejsFunction(entry: string, outDir: string, top = 10): Promise<BundleReport> {
  mkdirSync(outDir, { recursive: true });
  const name = basename(entry).replace(/\.[cm]?tsx?$/, '');
  const outfile = join(outDir, `${name}.js`);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'silent',
  });
  const meta: Metafile = result.metafile;
  const metafile = join(outDir, `${name}.meta.json`);
  writeFileSync(metafile, JSON.stringify(meta));

  const code = readFileSync(outfile);
  const output = Object.values(meta.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {}).map(([path, i]) => ({ path, bytes: i.bytesInOutput }));
  inputs.sort((a, b) => b.bytes - a.bytes);
  const ranked = (key: (path: string) => string) => {
    const sums = new Map<string, number>();
    for (const i of inputs) sums.set(key(i.path), (sums.get(key(i.path)) ?? 0) + i.bytes);
    return [...sums.entries()]
      .map(([group, bytes]) => ({ name: group, bytes, share: round((bytes / code.length) * 100) }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, top);
  };
  const topDirectories = ranked((path) => `${dirname(path)}/`);
  const topPackages = ranked(packageOf);
  const externals = [...new Set((output?.imports ?? []).filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path))].sort();
  return {
    entry,
    outfile,
    metafile,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    topInputs: inputs.slice(0, top),
    topDirectories,
    topPackages,
    externals,
  };
}

const LOAD_SCRIPT = `
const cpu = process.cpuUsage();
const t = process.hrtime.bigint();
for (const m of JSON.parse(process.argv[1])) require(m);
const wall = Number(process.hrtime.bigint() - t) / 1e6;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000 }));
`;

export interface ModuleLoad {
  /** Median wall time of `require`, in ms: the cold-start init figure. */
  medianMs: number;
  samplesMs: number[];
  /** Median CPU time of the same: less sensitive than wall time to other work on the machine. */
  medianCpuMs: number;
}

/**
 * Module-load (cold-start init) time: `require` of the given modules, timed with process.hrtime
 * in a fresh node process each time, median of `runs`. Only the given env reaches the process.
 */
export function measureModuleLoad(modules: string[], env: Record<string, string>, runs = 5, cwd = dirname(modules[0] ?? '.')): ModuleLoad {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const out = spawnSync(process.execPath, ['-e', LOAD_SCRIPT, JSON.stringify(modules)], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    let sample: { wall: number; cpu: number } | undefined;
    try {
      sample = JSON.parse(out.stdout) as { wall: number; cpu: number };
    } catch {
      sample = undefined;
    }
    if (out.status !== 0 || !sample) throw new Error(`loading ${modules.join(', ')} failed (exit ${out.status}): ${out.stderr.slice(-2000)}`);
    wall.push(round(sample.wall));
    cpu.push(round(sample.cpu));
  }
  return { medianMs: median(wall), samplesMs: wall, medianCpuMs: median(cpu) };
}
