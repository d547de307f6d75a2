import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSubmission } from '../../functions/core/submission';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** Reads test/fixtures/<source>/<variant>. */
export const fixturePath = (source: string, variant: string) => join(FIXTURES, source, variant);
export const readFixture = (source: string, variant: string) => readFileSync(fixturePath(source, variant), 'utf8');
export const jsonFixture = (source: string, variant: string): Record<string, unknown> => JSON.parse(readFixture(source, variant)) as Record<string, unknown>;

/** A seeded byte source: deterministic references in unit tests. */
export function seededRandom(seed = 1): (size: number) => Uint8Array {
  let state = seed >>> 0;
  return (size) => {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i += 1) {
      state = (state * 1664525 + 1013904223) >>> 0;
      out[i] = state >>> 24;
    }
    return out;
  };
}

export const submission = (overrides: Partial<CaseSubmission> = {}): CaseSubmission => ({
  type: 'inquiry',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  subject: 'Where is my order?',
  message: 'Order 1234 has not arrived yet.',
  privacyConsent: true,
  ...overrides,
});

/** A complaint-resolution checklist with every item done (M9.2). */
export const COMPLETE_CHECKLIST = {
  complaintHeard: true,
  empathyShown: true,
  solutionOffered: 'A refund of the second charge',
  correctiveAction: 'Payment retries now check for an earlier capture',
  followUp: { date: '2026-12-07', plan: 'Call to confirm the refund arrived' },
};
