import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { exportDay, ExportIdSchema, ExportRequestSchema, ExportTriggerSchema, planExport, sealExport } from '../core/compliance-export';
import { DaySchema } from '../core/audit-anchor';

const app = wiring(configFor('export-step'));

const StepSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('plan'), request: ExportRequestSchema }),
  z.object({ step: z.literal('day'), exportId: ExportIdSchema, day: DaySchema }),
  z.object({ step: z.literal('seal'), exportId: ExportIdSchema, trigger: ExportTriggerSchema }),
]);

/**
 * The compliance export workflow's one function (state-machines/compliance-export.asl.json):
 * `plan` answers the export's days, `day` writes one day (idempotent), `seal` writes the signed
 * manifest on the chain (idempotent). The rules are in core/compliance-export.ts.
 */
export async function run(input: unknown) {
  const step = StepSchema.parse(input);
  const deps = { store: app.exportStore, source: app.exportSource, codec: app.exportCodec, signer: app.manifestSigner };
  switch (step.step) {
    case 'plan': {
      const plan = planExport(step.request, app.clock.now());
      logger.info('export planned', { exportId: plan.exportId, trigger: plan.trigger, days: plan.days.length });
      return plan;
    }
    case 'day': {
      const marker = await exportDay(step.exportId, step.day, deps, app.clock);
      logger.info('export day written', { exportId: step.exportId, day: step.day, ...marker.counts, files: marker.files.length });
      return { day: step.day, cases: marker.counts.cases };
    }
    case 'seal': {
      const manifest = await sealExport(step.exportId, step.trigger, deps, app.clock);
      logger.info('export sealed', { exportId: step.exportId, sequence: manifest.sequence, ...manifest.counts });
      return { sequence: manifest.sequence, manifest: `exports/${step.exportId}/manifest.json` };
    }
  }
}

export const handler = middy<unknown, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: unknown) => run(event));
