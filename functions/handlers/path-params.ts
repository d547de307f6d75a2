import * as z from 'zod';

export const CaseIdPathSchema = z.object({ caseId: z.uuid('caseId must be a case id (UUID)') });

/** A staff member by their subject (the identity provider's `sub`). */
export const StaffIdPathSchema = z.object({ staffId: z.string().min(1, 'staffId is required').max(128, 'staffId is too long') });

/** Every path parameter of the route table, as zod parses it (the OpenAPI document shows these). */
export const PATH_PARAMETER_SCHEMAS = { caseId: CaseIdPathSchema, staffId: StaffIdPathSchema } as const;
