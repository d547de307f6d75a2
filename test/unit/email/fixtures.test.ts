import { buildFixtures, FIXTURE_NAMES } from '../../fixtures/email/build-fixtures';
import { rawFixture } from './fixture-email';

describe('email fixtures', () => {
  it('are exactly what test/fixtures/email/build-fixtures.ts composes with MailComposer', async () => {
    const built = await buildFixtures();
    expect(Object.keys(built).sort()).toEqual([...FIXTURE_NAMES].sort());
    for (const name of FIXTURE_NAMES) {
      expect({ name, raw: rawFixture(name).toString('latin1') }).toEqual({ name, raw: built[name].toString('latin1') });
    }
  });
});
