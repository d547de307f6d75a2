import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configFor } from '../functions/adapters/function-config';
import { wiring } from '../functions/adapters/wiring';
import { MonthSchema, ReportNotReadyError } from '../functions/core/monthly-report';
import { produceMonthlyReport } from '../functions/core/monthly-report-delivery';
import { monthlyReportDepsOf } from '../functions/handlers/monthly-report-deps';
import { LOCAL_REGION } from './dynamodb-local';
import { stackClock, type StackAccess } from './export-commands';

/**
 * `npm run caseflow -- report --month 2026-11 [--out report.html]`: the monthly compliance report
 * (docs/reports.md) against a running `npm start`, in this process with the stack's own adapters:
 * the same steps as POST /v1/reports/monthly, into the same exports bucket, with the PDF when a
 * Chromium is found here.
 */

/** The command's line in the usage's list of commands, and its options (after the others'). */
export const REPORT_COMMAND = `
  report              Make the monthly compliance report of a month that has ended: one HTML page
                      (charts inline, no script) and its PDF where Chromium is, in the exports bucket.`;
export const REPORT_OPTIONS = `

Options of report:
  --month <YYYY-MM>           the month (required); it must have ended on the stack's clock
  --out <file.html>           also write the page here, and its PDF beside it (same name, .pdf)
  --data-dir <dir>            data directory of a running \`npm start\` (default .caseflow)
  --json                      print the report's figures as JSON`;

const pct = (r: number | null) => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);

export async function reportCommand(args: string[], access: (dataDir: string) => StackAccess): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { month: { type: 'string' }, out: { type: 'string' }, 'data-dir': { type: 'string', default: '.caseflow' }, json: { type: 'boolean', default: false } },
  });
  const month = MonthSchema.safeParse(values.month);
  if (!month.success) {
    console.error(`caseflow report: --month ${month.error.issues[0]?.message ?? 'is required'}`);
    return 2;
  }
  const stack = access(values['data-dir']);
  // The scheduled job's configuration, with the local stack's staff roster: the same report, sections and all.
  const config = configFor('monthly-report-job', {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: stack.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.credentials.secretAccessKey,
    DYNAMODB_ENDPOINT: stack.endpoints.dynamodb,
    S3_ENDPOINT: stack.endpoints.s3,
    TABLE_NAME: stack.endpoints.resources.table,
    EXPORTS_BUCKET: stack.endpoints.resources.exportsBucket,
    STAFF_DIRECTORY_FILE: join(stack.dataDir, 'staff.json'),
  });
  const app = wiring(config);
  let produced;
  try {
    produced = await produceMonthlyReport(month.data, { ...monthlyReportDepsOf(app, config), clock: await stackClock(stack.endpoints) });
  } catch (error) {
    if (!(error instanceof ReportNotReadyError)) throw error;
    console.error(`caseflow report: ${error.message}`);
    return 2;
  }
  const { report, keys } = produced;
  if (values.out) {
    const out = resolve(values.out);
    writeFileSync(out, (await app.exportStore.get(keys.html)) ?? '');
    const pdf = keys.pdf ? await app.exportStore.get(keys.pdf) : undefined;
    if (pdf) writeFileSync(out.replace(/(\.html?)?$/i, '.pdf'), pdf);
    if (!values.json) console.error(`written: ${out}${pdf ? ` and ${out.replace(/(\.html?)?$/i, '.pdf')}` : ''}`);
  }
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  const bucket = stack.endpoints.resources.exportsBucket;
  console.log(`report ${report.month}: ${report.totals.cases} cases received, figures as of ${report.asOf}`);
  for (const s of report.sla) console.log(`  ${s.label} within ${s.window}: ${pct(s.attainment)} (target ${pct(s.target)}; ${s.met} met, ${s.breached} breached)`);
  console.log(`  evidence: ${report.evidence.manifests.length} export manifests; ${report.evidence.daysCovered} of ${report.period.days} days exported`);
  console.log(`  page: s3://${bucket}/${keys.html}`);
  console.log(keys.pdf ? `  pdf:  s3://${bucket}/${keys.pdf}` : `  ${produced.pdfNotProduced ?? 'no PDF'}`);
  return 0;
}
