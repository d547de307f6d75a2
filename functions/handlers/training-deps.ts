import { trainingSettingsOf } from '../adapters/config';
import type { FunctionConfig } from '../adapters/function-config';
import type { Wiring } from '../adapters/wiring';
import type { TrainingDeps } from '../core/training';
import type { TrainingRequestDeps } from '../core/training-requests';
import { newRequestId } from '../adapters/ids';

type TrainingFunction = 'assign-case' | 'claim-case' | 'record-training' | 'get-training';

/** The training records and the configured catalogue, reminder window and guard mode (C5.1-C5.3). */
export const trainingDepsOf = (app: Wiring, config: FunctionConfig<TrainingFunction>): TrainingDeps => ({ records: app.training, settings: trainingSettingsOf(config) });

/** What the training routes' use cases need, from the composition root. */
export const trainingRequestDepsOf = (app: Wiring, config: FunctionConfig<TrainingFunction>): TrainingRequestDeps => ({
  ...trainingDepsOf(app, config),
  staff: app.staff,
  clock: app.clock,
  newId: newRequestId,
});
