import { findReference, newReference, REFERENCE_ALPHABET } from '../../../functions/core/reference';
import { seededRandom } from '../../support/fixtures';

describe('case references', () => {
  it('are CS- followed by six unambiguous characters', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 500; i += 1) {
      const ref = newReference(random);
      expect(ref).toMatch(/^CS-[0-9A-Z]{6}$/);
      expect([...ref.slice(3)].every((ch) => REFERENCE_ALPHABET.includes(ch))).toBe(true);
      expect(ref.slice(3)).not.toMatch(/[ILOU]/);
    }
  });

  it('are spread over the whole alphabet', () => {
    const random = seededRandom(11);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i += 1) for (const ch of newReference(random).slice(3)) seen.add(ch);
    expect(seen.size).toBe(REFERENCE_ALPHABET.length);
  });

  it('are found in reply subjects whatever the case and punctuation', () => {
    expect(findReference('Re: [CS-7K3M9Q] We received your request')).toBe('CS-7K3M9Q');
    expect(findReference('AW: re: cs-7k3m9q follow-up')).toBe('CS-7K3M9Q');
    expect(findReference('support+CS-7K3M9Q@example.com')).toBe('CS-7K3M9Q');
    expect(findReference('Order CS-12345 is late')).toBeUndefined();
    expect(findReference('no reference here')).toBeUndefined();
  });
});
