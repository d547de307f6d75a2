import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsoleSync, CONSOLE_BUDGET_GZIP_BYTES, consoleAssetSizes } from '../../../web/console/build';

/**
 * The console's size budget: its JavaScript and CSS, gzipped, under 200 KB together, checked on
 * every test run rather than only by `npm run build:console`. The console is built as the stack
 * builds it (minified, no source maps), into a directory of its own.
 */
describe('the staff console\'s bundle', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'caseflow-console-budget-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('stays under 200 KB of JavaScript and CSS gzipped, as the stack builds it', () => {
    buildConsoleSync(outDir);
    const { assets, totalGzipBytes } = consoleAssetSizes(outDir);
    const files = assets.map((a) => a.file).sort();
    expect(files).toEqual(['app.css', 'app.js']);
    // Every .js and .css the build wrote is counted (a split chunk would be too).
    expect(readdirSync(outDir).filter((f) => /\.(js|css)$/.test(f)).sort()).toEqual(files);

    const figure = `${(totalGzipBytes / 1024).toFixed(1)} KiB gzipped (${assets.map((a) => `${a.file} ${(a.gzipBytes / 1024).toFixed(1)} KiB`).join(', ')})`;
    if (totalGzipBytes >= CONSOLE_BUDGET_GZIP_BYTES) throw new Error(`The console's JavaScript and CSS are ${figure}: over the budget of ${CONSOLE_BUDGET_GZIP_BYTES / 1024} KiB`);
    expect(CONSOLE_BUDGET_GZIP_BYTES).toBe(200 * 1024);
    expect(totalGzipBytes).toBeGreaterThan(0);
  });
});
