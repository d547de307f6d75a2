import { CaseIdPathSchema } from './path-params';
import { readConfig, TableConfigSchema } from '../adapters/config';
import { createDocumentClient } from '../adapters/aws-clients';
import { DynamoCaseStore } from '../adapters/dynamo-case-store';
import { verifyChain } from '../core/audit-chain';
import { NotFoundError } from '../core/errors';
import { parseInput } from '../core/validation';
import { httpHandler } from './http/http-handler';
import { json } from './http/http-event';
import { staffOnly } from './staff-auth-config';

const config = readConfig(TableConfigSchema);
const store = new DynamoCaseStore(createDocumentClient(config), config.TABLE_NAME);



/** GET /v1/cases/{caseId}: the case, its timeline, and whether the audit chain verifies (M7.3). */
export const handler = httpHandler(
  async (event) => {
    const { caseId } = parseInput(CaseIdPathSchema, event.pathParameters ?? {});
    const [found, timeline] = await Promise.all([store.getCase(caseId), store.getTimeline(caseId)]);
    if (!found) throw new NotFoundError(`No case ${caseId}`);
    return json(200, { case: found, timeline, integrity: verifyChain(timeline) });
  },
  [staffOnly()],
);
