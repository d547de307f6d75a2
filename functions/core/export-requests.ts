import * as z from 'zod';
import { DaySchema } from './audit-anchor';
import { assertPeriodEnded, daysOf, exportIdOf, MAX_EXPORT_DAYS, exportStatus, type ExportStatus, type ExportStore } from './compliance-export';
import type { Clock } from './clock';

/** POST /v1/exports: an auditor's period, whole UTC days that have ended. */
export const CreateExportInputSchema = z
  .object({ from: DaySchema, to: DaySchema })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'The period ends before it starts', path: ['to'] })
  .refine((p) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 + 1 <= MAX_EXPORT_DAYS, { message: `A period is at most ${MAX_EXPORT_DAYS} days`, path: ['to'] });
export type CreateExportInput = z.infer<typeof CreateExportInputSchema>;

export interface StartsExports {
  start(exportId: string, request: { trigger: 'on-demand'; period: CreateExportInput }): Promise<'started' | 'running'>;
}

/**
 * An auditor asks for a period (M5.3, M7.3, C4.3, C6.3): if its export is sealed already, that is
 * the answer; otherwise its workflow is started (or found running) and the answer is where it
 * stands. One export a period: asking twice starts nothing twice.
 */
export async function requestExport(input: CreateExportInput, deps: { store: ExportStore; workflows: StartsExports }, clock: Clock): Promise<{ started: boolean; status: ExportStatus }> {
  assertPeriodEnded(input, clock.now());
  const exportId = exportIdOf(input);
  const current = await exportStatus(exportId, deps.store);
  if (current.status === 'completed') return { started: false, status: current };
  const outcome = await deps.workflows.start(exportId, { trigger: 'on-demand', period: input });
  const after = await exportStatus(exportId, deps.store);
  return { started: outcome === 'started', status: after.status === 'not-started' ? { exportId, status: 'running', daysDone: 0, days: daysOf(input).length } : after };
}
