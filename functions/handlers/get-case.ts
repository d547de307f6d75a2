import { CaseIdPathSchema } from './path-params';
import { configFor } from '../adapters/function-config';
import { wiring } from '../adapters/wiring';
import { verifyChain } from '../core/audit-chain';
import { NotFoundError } from '../core/errors';
import { parseInput } from '../core/validation';
import { httpHandler } from './http/http-handler';
import { json } from './http/http-event';
import { staffOnly } from './staff-auth-config';

const config = configFor('get-case');
const app = wiring(config);



/** GET /v1/cases/{caseId}: the case, its timeline, and whether the audit chain verifies (M7.3). */
export const handler = httpHandler(
  async (event) => {
    const { caseId } = parseInput(CaseIdPathSchema, event.pathParameters ?? {});
    const [found, timeline] = await Promise.all([app.cases.getCase(caseId), app.cases.getTimeline(caseId)]);
    if (!found) throw new NotFoundError(`No case ${caseId}`);
    return json(200, { case: found, timeline, integrity: verifyChain(timeline) });
  },
  [staffOnly(app, config.STAFF_GROUPS)],
);
