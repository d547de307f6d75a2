import { AddNoteInputSchema, addNote } from '../core/actions/add-note';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/notes: an internal note, never emailed (M7.1). Roles: routes.ts. */
export const handler = caseActionHandler('add-case-note', AddNoteInputSchema, addNote);
