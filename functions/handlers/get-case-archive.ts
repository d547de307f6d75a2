import { logger } from '../adapters/observability';
import { verifyCaseArchive } from '../core/case-archive';
import { NotFoundError } from '../core/errors';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { ReferencePathSchema } from './path-params';

/**
 * GET /v1/archive/{reference}: a closed case's archive read back from the archive bucket (the
 * version the case recorded) and verified (M7.2, M7.3): its checksum against the one recorded on
 * the case, its hash chain and head, the case and escalation log against the trail. An archive
 * that does not verify is a 200 with `verified: false` and the problems: the verification worked,
 * and what it found is the auditor's finding. Roles: routes.ts.
 */
export const handler = staffRoute('get-case-archive', async ({ event, app, actor }) => {
  const { reference } = parseInput(ReferencePathSchema, event.pathParameters ?? {});
  const caseId = await app.inbound.caseIdByReference(reference);
  if (!caseId) throw new NotFoundError(`No case ${reference}`);
  const found = await app.cases.getCase(caseId);
  const recorded = found?.archive;
  if (found && !recorded) throw new NotFoundError(`Case ${reference} has no archive: it is ${found.status === 'closed' ? 'closed, and its archive is being written' : 'not closed'}`);
  const bytes = await app.caseArchives.get(caseId, recorded?.versionId);
  if (!bytes && !recorded) throw new NotFoundError(`No archive of case ${reference}`);
  const verdict = bytes ? verifyCaseArchive(bytes, recorded?.sha256) : { verified: false, problems: ['the archive recorded on the case is missing from the archive bucket'] };
  const problems = [...verdict.problems, ...(recorded ? [] : ['the case item is gone: no checksum recorded on it to check the archive against'])];
  const document = 'document' in verdict ? verdict.document : undefined;
  logger.info('case archive verified', { caseId, verified: problems.length === 0, actorRole: actor.kind });
  return json(200, {
    reference,
    caseId,
    verified: problems.length === 0,
    problems,
    ...(recorded ? { recorded } : {}),
    ...(document ? { archive: document } : {}),
    verifiedAt: app.clock.now().toISOString(),
  });
});
