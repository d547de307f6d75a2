import { randomBytes, randomUUID } from 'node:crypto';
import type { RandomBytes } from '../core/reference';

export const newCaseId = (): string => randomUUID();
export const newRequestId = (): string => randomUUID();
export const cryptoRandom: RandomBytes = (size) => randomBytes(size);
