import { randomBytes, randomUUID } from 'node:crypto';
import type { SubjectKey, SubjectKeys } from '../../functions/core/subject-keys';

/** Subjects' keys in a map: made on first use, gone when destroyed. */
export function memorySubjectKeys() {
  const keys = new Map<string, SubjectKey>();
  const subjectKeys: SubjectKeys = {
    keyFor: async (subjectId) => {
      const found = keys.get(subjectId) ?? { keyId: randomUUID(), key: randomBytes(32) };
      keys.set(subjectId, found);
      return found;
    },
    existing: async (subjectId) => keys.get(subjectId),
    destroy: async (subjectId) => (keys.delete(subjectId) ? 'destroyed' : 'absent'),
  };
  return { subjectKeys, keys };
}
