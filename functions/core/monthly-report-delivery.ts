import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Clock } from './clock';
import type { DownloadLinks } from './ports';
import type { NonComplianceStore } from './non-compliance-records';
import { summarizeNonCompliance } from './non-compliance-summary';
import { mapLimited } from './map-limited';
import { isoWeekOf, weeksBetween } from './quality-review';
import type { QualityReviewStore } from './quality-review-records';
import { summarizeQualityReviews } from './quality-review-summary';
import type { StaffDirectory } from './staff';
import { staffTrainingStatus, type TrainingRecords, type TrainingSettings } from './training';
import { summarizeTraining } from './training-summary';
import { ManifestSchema, MANIFESTS_PREFIX, type ExportStore } from './compliance-export';
import { periodBounds, type ReceivedCases } from './metrics';
import { assertMonthEnded, MonthlyReportAccumulator, MonthSchema, monthPeriod, previousMonthOf, type MonthlyReport, type ReportTargets, type StoredManifest } from './monthly-report';

/**
 * Producing the monthly report (docs/reports.md) into the exports bucket: the month's and the
 * previous month's cases read (the status indexes, never a Scan), the manifests of the exports
 * that overlap it, the figures computed (monthly-report.ts), the page rendered, its PDF where a
 * Chromium runs, all written under `reports/monthly/<YYYY-MM>/`. The same steps whoever asks: the
 * API (POST /v1/reports/monthly), a schedule (handlers/monthly-report-job.ts), the CLI.
 */

export const REPORTS_PREFIX = 'reports/monthly/';

export const reportKeys = (month: string) => ({
  html: `${REPORTS_PREFIX}${month}/report.html`,
  pdf: `${REPORTS_PREFIX}${month}/report.pdf`,
  /** The figures behind the page, for a program (the format is MonthlyReportSchema). */
  json: `${REPORTS_PREFIX}${month}/report.json`,
  /** Written last: which files the latest run made (a PDF an earlier run left is not one of them) and the time its figures stand at. */
  index: `${REPORTS_PREFIX}${month}/index.json`,
});

export const REPORT_CONTENT_TYPES = { html: 'text/html; charset=utf-8', pdf: 'application/pdf', json: 'application/json' } as const;

/** The PDF of a page, or why there is none (no Chromium where this runs: in Lambda, say). */
export type PdfOutcome = { produced: true; bytes: Uint8Array } | { produced: false; reason: string };

/** Turns the report into its page and the page into a PDF (adapters/report-html.ts, adapters/report-pdf.ts). */
export interface ReportRenderer {
  html(report: MonthlyReport): Promise<string>;
  pdf(html: string): Promise<PdfOutcome>;
}

/** What a run wrote (its index): the keys of the page, the figures and the PDF when there is one; why there is none otherwise. */
export const StoredReportSchema = z.object({
  month: MonthSchema,
  asOf: z.iso.datetime(),
  keys: z.object({ html: z.string(), json: z.string(), pdf: z.string().optional() }),
  pdfNotProduced: z.string().optional(),
});
export type StoredReport = z.infer<typeof StoredReportSchema>;

export type ProducedReport = StoredReport & { report: MonthlyReport };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** Manifests read at once. */
const READ_BATCH = 16;

/**
 * The chain's manifests that may overlap the period, each with the SHA-256 of its bytes. Read from
 * the newest back, a batch at a time, stopping after a batch sealed wholly before the period began:
 * an export covers days that have ended, so one sealed earlier cannot cover a day of the period,
 * and a report reads only the chain's recent end however long the chain grows.
 */
export async function readManifestsSince(store: ExportStore, period: { from: string }): Promise<StoredManifest[]> {
  const keys = (await store.list(MANIFESTS_PREFIX)).filter((k) => /\/\d{8}\.json$/.test(k)).reverse();
  const begins = `${period.from}T00:00:00.000Z`;
  const found: StoredManifest[] = [];
  for (let i = 0; i < keys.length; i += READ_BATCH) {
    const batch = await Promise.all(
      keys.slice(i, i + READ_BATCH).map(async (key) => {
        const bytes = await store.get(key);
        return bytes ? { manifest: ManifestSchema.parse(JSON.parse(new TextDecoder().decode(bytes))), sha256: sha256(bytes) } : undefined;
      }),
    );
    const read = batch.filter((m): m is StoredManifest => m !== undefined);
    found.push(...read);
    if (read.every((m) => m.manifest.generatedAt < begins)) break;
  }
  return found;
}

/** What a report reads: the month's cases and the export chain; the non-compliance records and the quality loop's reviews and training when given. */
export interface MonthlyReportDeps {
  cases: ReceivedCases;
  store: ExportStore;
  renderer: ReportRenderer;
  clock: Clock;
  targets?: ReportTargets;
  nonCompliance?: Pick<NonComplianceStore, 'listMonth'>;
  quality?: MonthlyQualityDeps;
}

/** The quality loop's part of a report: the weeks' review lists; the representatives and their training records when the staff directory is known. */
export interface MonthlyQualityDeps {
  reviews: Pick<QualityReviewStore, 'listWeek'>;
  training?: { staff: Pick<StaffDirectory, 'list'>; records: Pick<TrainingRecords, 'listFor'>; settings: Pick<TrainingSettings, 'catalogue' | 'reminderDays'> };
}

/**
 * The month's quality reviews (the ISO weeks it touches, the replies of its days) and the
 * representatives' training as it stood at the month's end (C5.1–C5.3, M3.1, M6.1, C6.3).
 */
async function qualitySections(period: { from: string; to: string }, until: string, deps: MonthlyQualityDeps, now: Date): Promise<Pick<MonthlyReport, 'qualityReviews' | 'training'>> {
  const weeks = weeksBetween(isoWeekOf(`${period.from}T00:00:00.000Z`), isoWeekOf(`${period.to}T00:00:00.000Z`), 6);
  const lists = await mapLimited(weeks, 4, (w) => deps.reviews.listWeek(w));
  const qualityReviews = summarizeQualityReviews(period, lists);
  const t = deps.training;
  if (!t) return { qualityReviews };
  // The last instant of the month (a report is made once the month has ended, so never after now).
  const at = new Date(Math.min(Date.parse(until) - 1, now.getTime()));
  const members = [...(await t.staff.list('agents'))].sort((a, b) => a.id.localeCompare(b.id));
  const statuses = await mapLimited(members, 4, async (m) => staffTrainingStatus(m.id, await t.records.listFor(m.id), t.settings, at));
  return { qualityReviews, training: summarizeTraining(at.toISOString(), statuses) };
}

/**
 * Makes the month's report now and writes it into the exports bucket (replacing one made before:
 * the figures are as of now, and the page says so). Refused (409) before the month has ended.
 */
export async function produceMonthlyReport(
  month: string,
  deps: MonthlyReportDeps,
): Promise<ProducedReport> {
  const now = deps.clock.now();
  assertMonthEnded(month, now);
  const period = monthPeriod(month);
  const { since } = periodBounds(monthPeriod(previousMonthOf(month)));
  const { until } = periodBounds(period);
  const acc = new MonthlyReportAccumulator(month, now.toISOString(), deps.targets);
  for await (const record of deps.cases.receivedBetween(since, until)) acc.add(record);
  const figures = acc.report(await readManifestsSince(deps.store, period));
  const report: MonthlyReport = {
    ...figures,
    ...(deps.nonCompliance ? { nonCompliance: summarizeNonCompliance(await deps.nonCompliance.listMonth(month), now.getTime()) } : {}),
    ...(deps.quality ? await qualitySections(period, until, deps.quality, now) : {}),
  };

  const keys = reportKeys(month);
  const html = await deps.renderer.html(report);
  const pdf = await deps.renderer.pdf(html);
  const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  await deps.store.put(keys.json, encode(report), REPORT_CONTENT_TYPES.json);
  await deps.store.put(keys.html, encode(html), REPORT_CONTENT_TYPES.html);
  if (pdf.produced) await deps.store.put(keys.pdf, pdf.bytes, REPORT_CONTENT_TYPES.pdf);
  const produced: StoredReport = {
    month,
    asOf: report.asOf,
    keys: { html: keys.html, json: keys.json, ...(pdf.produced ? { pdf: keys.pdf } : {}) },
    ...(pdf.produced ? {} : { pdfNotProduced: pdf.reason }),
  };
  await deps.store.put(keys.index, encode(produced), REPORT_CONTENT_TYPES.json);
  return { ...produced, report };
}

/** The month's report as the latest run left it (its index); undefined when none was made. */
export async function storedMonthlyReport(month: string, store: ExportStore): Promise<StoredReport | undefined> {
  const bytes = await store.get(reportKeys(month).index);
  return bytes ? StoredReportSchema.parse(JSON.parse(new TextDecoder().decode(bytes))) : undefined;
}

/** How long a link to a report works. */
export const REPORT_LINK_SECONDS = 15 * 60;

/** Short-lived links to the files of the month's report: the page opens in the browser (no attachment disposition), the PDF and figures too. */
export async function reportLinks(stored: StoredReport, links: DownloadLinks, seconds = REPORT_LINK_SECONDS) {
  const link = async (key: string, kind: keyof typeof REPORT_CONTENT_TYPES) => {
    const made = await links.link(key, { filename: `caseflow-report-${stored.month}.${kind}`, contentType: REPORT_CONTENT_TYPES[kind] }, seconds);
    return { url: made.url, expiresAt: made.expiresAt.toISOString() };
  };
  return {
    html: await link(stored.keys.html, 'html'),
    json: await link(stored.keys.json, 'json'),
    ...(stored.keys.pdf ? { pdf: await link(stored.keys.pdf, 'pdf') } : {}),
  };
}
