import { newRequestId } from '../adapters/ids';
import type { Wiring } from '../adapters/wiring';
import { ActionItemIdPathSchema, type ActionItemDeps } from '../core/action-items';
import { parseInput } from '../core/validation';
import type { HttpEvent } from './http/http-event';

/** What the action-item routes' use cases need, from the composition root (M8.2, C7.2). */
export const actionItemDepsOf = (app: Wiring): ActionItemDeps => ({ items: app.actionItems, staff: app.staff, cases: app.cases, nonCompliance: app.nonCompliance, clock: app.clock, newId: newRequestId });

/** The item a route names: `ai-<uuid>`, else 400. */
export const itemIdOf = (event: HttpEvent): string => parseInput(ActionItemIdPathSchema, event.pathParameters ?? {}).itemId;
