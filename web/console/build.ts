import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

/**
 * The staff console's build: esbuild bundles web/console/src (Preact + TSX) into one `app.js`
 * and the styles into `app.css`; the pages (`index.html`, `callback.html`) are copied with each
 * asset's URL carrying its content hash (`app.js?v=…`), so a cache may keep an asset for as long
 * as it likes while a new build is still fetched at once. Nothing about the deployment (API URL,
 * Cognito settings) is built in: the console reads `config.json` at run time.
 * The local stack builds it at start, CDK synth builds it for deployment, `npm run build:console`
 * builds it into CONSOLE_DIST.
 */
export const CONSOLE_ROOT = resolve(__dirname);
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');

const PAGES = ['index.html', 'callback.html'] as const;
/** The budget of the issue: the console's JavaScript and CSS together, gzipped. */
export const CONSOLE_BUDGET_GZIP_BYTES = 200 * 1024;

export interface ConsoleBuildOptions {
  /** Default true: the deployed and the local console are the same minified bundle. */
  minify?: boolean;
  /** Write linked source maps (the local stack does; a deployment does not). */
  sourcemap?: boolean;
}

export function buildConsoleSync(outDir: string, opts: ConsoleBuildOptions = {}): void {
  const minify = opts.minify ?? true;
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir)) rmSync(join(outDir, old), { recursive: true, force: true });
  const common = { bundle: true, minify, outdir: outDir, logLevel: 'warning', write: true, legalComments: 'eof' } as const;
  buildSync({
    ...common,
    entryPoints: { app: join(CONSOLE_ROOT, 'src', 'main.tsx') },
    format: 'esm',
    platform: 'browser',
    target: ['chrome115', 'firefox115', 'safari16.4'],
    tsconfig: join(CONSOLE_ROOT, 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    sourcemap: opts.sourcemap ? 'linked' : false,
  });
  buildSync({ ...common, entryPoints: { app: join(CONSOLE_ROOT, 'styles.css') }, sourcemap: false });
  const version = (file: string) => createHash('sha256').update(readFileSync(join(outDir, file))).digest('hex').slice(0, 12);
  const js = version('app.js');
  const css = version('app.css');
  for (const page of PAGES) {
    const html = readFileSync(join(CONSOLE_ROOT, page), 'utf8').replace('"app.js"', `"app.js?v=${js}"`).replace('"app.css"', `"app.css?v=${css}"`);
    writeFileSync(join(outDir, page), html);
  }
  copyFileSync(join(CONSOLE_ROOT, 'favicon.svg'), join(outDir, 'favicon.svg'));
}

export interface AssetSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** The console's JavaScript and CSS as served, and gzipped (the budget counts these). */
export function consoleAssetSizes(outDir: string = CONSOLE_DIST): { assets: AssetSize[]; totalGzipBytes: number } {
  const assets = readdirSync(outDir)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((file) => {
      const content = readFileSync(join(outDir, file));
      return { file, bytes: statSync(join(outDir, file)).size, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
  return { assets, totalGzipBytes: assets.reduce((n, a) => n + a.gzipBytes, 0) };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (require.main === module) {
  const started = Date.now();
  buildConsoleSync(CONSOLE_DIST, { minify: !process.argv.includes('--no-minify'), sourcemap: process.argv.includes('--sourcemap') });
  const { assets, totalGzipBytes } = consoleAssetSizes(CONSOLE_DIST);
  for (const a of assets) console.log(`  ${a.file.padEnd(10)} ${kb(a.bytes).padStart(9)}   gzipped ${kb(a.gzipBytes).padStart(8)}`);
  console.log(`console built in ${Date.now() - started} ms into ${CONSOLE_DIST}: JS + CSS ${kb(totalGzipBytes)} gzipped (budget ${kb(CONSOLE_BUDGET_GZIP_BYTES)})`);
  if (totalGzipBytes > CONSOLE_BUDGET_GZIP_BYTES) {
    console.error('The console is over its size budget.');
    process.exitCode = 1;
  }
}
