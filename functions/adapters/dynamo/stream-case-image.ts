import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { CaseSchema, type Case } from '../../core/case';
import { stripKeys } from './keys';

/** The case a stream record's image holds, or undefined for any other item (or an image that is not a valid case). */
export function caseOfStreamImage(image: unknown): Case | undefined {
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.entity !== 'case') return undefined;
  const parsed = CaseSchema.safeParse(stripKeys(item));
  return parsed.success ? parsed.data : undefined;
}
