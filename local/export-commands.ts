import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { wiring } from '../functions/adapters/wiring';
import { daysOf, ExportPeriodSchema, runExport, verifyExportChain, type ExportDeps } from '../functions/core/compliance-export';
import type { Clock } from '../functions/core/clock';
import { LOCAL_REGION } from './dynamodb-local';
import type { LocalEndpoints } from './stack';
import type { StandInCredentials } from './stand-in-credentials';

/**
 * `npm run caseflow -- export --from … --to …` and `… verify-exports`: compliance exports against a
 * running `npm start` (docs/exports.md), in this process, with the stack's own adapters: the same
 * steps the export workflow runs, the same bucket, the same local signing key.
 */

export const EXPORT_USAGE = `
  export              Export a period of whole UTC days that have ended: every case changed, its
                      redacted timeline, escalations and chain heads, as JSON Lines and Parquet in the
                      exports bucket, with a signed manifest on the chain. Resumes a stopped export.
  verify-exports      Check every export: each file's SHA-256, the manifest chain (no gap, no
                      reordering) and each signature; prints the first broken link.

Options of export:
  --from <YYYY-MM-DD>         the first day (required)
  --to <YYYY-MM-DD>           the last day (default: --from); it must have ended on the stack's clock
  --data-dir <dir>            data directory of a running \`npm start\` (default .caseflow)
  --json                      print the manifest as JSON

Options of verify-exports:
  --data-dir <dir>            data directory of a running \`npm start\` (default .caseflow)
  --json                      print the verdict as JSON`;

export interface StackAccess {
  endpoints: LocalEndpoints;
  credentials: StandInCredentials;
  dataDir: string;
}

function exportDeps(stack: StackAccess): ExportDeps {
  const app = wiring({
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: stack.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.credentials.secretAccessKey,
    DYNAMODB_ENDPOINT: stack.endpoints.dynamodb,
    S3_ENDPOINT: stack.endpoints.s3,
    TABLE_NAME: stack.endpoints.resources.table,
    EXPORTS_BUCKET: stack.endpoints.resources.exportsBucket,
    EXPORT_SIGNING_KEY_DIR: join(resolve(stack.dataDir), 'export-signing'),
  });
  return { store: app.exportStore, source: app.exportSource, codec: app.exportCodec, signer: app.manifestSigner };
}

/** The stack's clock (it may have been moved on): what "a day that has ended" means there. */
export async function stackClock(endpoints: LocalEndpoints): Promise<Clock> {
  const res = await fetch(endpoints.clock);
  const { now } = (await res.json()) as { now: string };
  const at = new Date(now);
  return { now: () => at };
}

export async function exportCommand(args: string[], access: (dataDir: string) => StackAccess): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { from: { type: 'string' }, to: { type: 'string' }, 'data-dir': { type: 'string', default: '.caseflow' }, json: { type: 'boolean', default: false } },
  });
  const period = ExportPeriodSchema.safeParse({ from: values.from, to: values.to ?? values.from });
  if (!period.success) {
    console.error(`caseflow export: ${period.error.issues.map((i) => `${i.path.join('.') || 'period'}: ${i.message}`).join('; ')}`);
    return 2;
  }
  const stack = access(values['data-dir']);
  const clock = await stackClock(stack.endpoints);
  const days = daysOf(period.data);
  const bar = values.json || !process.stderr.isTTY ? undefined : new SingleBar({ format: 'export {bar} {value}/{total} days | {cases} cases | {day}', stream: process.stderr }, Presets.shades_classic);
  bar?.start(days.length, 0, { cases: 0, day: '' });
  let cases = 0;
  const manifest = await runExport(period.data, 'on-demand', exportDeps(stack), clock, (day, marker) => {
    cases += marker.counts.cases;
    if (bar) bar.increment(1, { cases, day });
    else if (!values.json) console.error(`  ${day}: ${marker.counts.cases} cases, ${marker.counts.events} events`);
  });
  bar?.stop();
  if (values.json) console.log(JSON.stringify(manifest, null, 2));
  else {
    console.log(`export ${manifest.exportId}: sequence ${manifest.sequence} of the chain, ${manifest.files.length} files`);
    console.log(`  ${manifest.counts.cases} cases, ${manifest.counts.events} events, ${manifest.counts.escalations} escalations, ${manifest.counts.heads} chain heads`);
    console.log(`  manifest: s3://${stack.endpoints.resources.exportsBucket}/exports/${manifest.exportId}/manifest.json (signed by ${manifest.signature.keyId})`);
  }
  return 0;
}

export async function verifyExportsCommand(args: string[], access: (dataDir: string) => StackAccess): Promise<number> {
  const { values } = parseArgs({ args, strict: true, allowPositionals: false, options: { 'data-dir': { type: 'string', default: '.caseflow' }, json: { type: 'boolean', default: false } } });
  const deps = exportDeps(access(values['data-dir']));
  const verdict = await verifyExportChain({ store: deps.store, publicKeyPem: await deps.signer.publicKeyPem() }, (m) => {
    if (!values.json) console.log(`  ok  #${m.sequence} ${m.exportId}  ${m.files.length} files  ${m.counts.cases} cases`);
  });
  if (values.json) console.log(JSON.stringify(verdict, null, 2));
  else if (verdict.valid) console.log(`every export verifies: ${verdict.manifests} manifests, ${verdict.files} files, the chain unbroken and every signature valid`);
  else {
    const p = verdict.firstProblem;
    console.log(`BROKEN at manifest #${p?.sequence ?? '?'}${p?.exportId ? ` (${p.exportId})` : ''}${p?.path ? `, ${p.path}` : ''}: ${p?.problem ?? 'unknown'}`);
    console.log(`${verdict.manifests} manifests before it verify; nothing after it can be trusted until it is explained`);
  }
  return verdict.valid ? 0 : 1;
}
