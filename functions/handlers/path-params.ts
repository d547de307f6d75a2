import * as z from 'zod';

export const CaseIdPathSchema = z.object({ caseId: z.uuid('caseId must be a case id (UUID)') });
