import { logger } from '../adapters/observability';
import { archiveSubjectOf, verifyCaseArchive } from '../core/case-archive';
import { NotFoundError } from '../core/errors';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { ReferencePathSchema } from './path-params';

/**
 * GET /v1/archive/{reference}: a closed case's archive read back from the archive bucket (the
 * version the case recorded, or once the case has expired from the table, the one its reference's
 * archive index names) and verified (M7.2, M7.3): its checksum against the one recorded on
 * the case, its hash chain and head, the case and escalation log against the trail. An archive
 * that does not verify is a 200 with `verified: false` and the problems: the verification worked,
 * and what it found is the auditor's finding. Roles: routes.ts.
 */
export const handler = staffRoute('get-case-archive', async ({ event, app, actor }) => {
  const { reference } = parseInput(ReferencePathSchema, event.pathParameters ?? {});
  const caseId = await app.inbound.caseIdByReference(reference);
  const found = caseId ? await app.cases.getCase(caseId) : undefined;
  if (found && !found.archive) throw new NotFoundError(`Case ${reference} has no archive: it is ${found.status === 'closed' ? 'closed, and its archive is being written' : 'not closed'}`);
  // Once the case has expired from the table, the archive index (written with the archive) says where it is.
  const indexed = found ? undefined : await app.caseArchives.getIndex(reference);
  const archivedCaseId = found?.caseId ?? indexed?.caseId;
  if (!archivedCaseId) throw new NotFoundError(`No case ${reference}`);
  const expected = found?.archive ?? indexed;
  const bytes = await app.caseArchives.get(archivedCaseId, expected?.versionId);
  if (!bytes && !expected) throw new NotFoundError(`No archive of case ${reference}`);
  // The customer's key opens the sealed record; after an erasure it is gone, and the clear part is all there is.
  const subject = bytes ? archiveSubjectOf(bytes) : undefined;
  const key = subject ? await app.subjectKeys.existing(subject.id) : undefined;
  const verdict = bytes ? verifyCaseArchive(bytes, expected?.sha256, key) : { verified: false, problems: ['the archive recorded for the case is missing from the archive bucket'] };
  const problems = [...verdict.problems];
  if (!found && !indexed) problems.push('neither the case nor the archive index records a checksum to check the archive against');
  if (verdict.document && verdict.document.case.reference !== reference) problems.push('the archive found for this reference is the archive of another case');
  const document = 'document' in verdict ? verdict.document : undefined;
  const record = 'record' in verdict ? verdict.record : undefined;
  logger.info('case archive verified', { caseId: archivedCaseId, verified: problems.length === 0, actorRole: actor.kind, foundThrough: found ? 'case' : 'archive-index' });
  return json(200, {
    reference,
    caseId: archivedCaseId,
    verified: problems.length === 0,
    problems,
    ...(found?.archive ? { recorded: found.archive } : {}),
    foundThrough: found ? 'case' : 'archive-index',
    ...(indexed?.expiredAt ? { expiredAt: indexed.expiredAt } : {}),
    ...(document ? { archive: document } : {}),
    ...(document ? { personalData: record ? 'readable' : 'erased' } : {}),
    ...(record ? { record } : {}),
    verifiedAt: app.clock.now().toISOString(),
  });
});
