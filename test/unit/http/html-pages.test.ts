import { fixedClock } from '../../../functions/core/clock';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { confirmationPage } from '../../../functions/handlers/http/html-pages';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

async function opened() {
  const { case: c } = await openCaseFromSubmission(
    { submission: submission(), channel: 'web' },
    { store: new InMemoryCaseStore(), clock: fixedClock('2026-12-01T00:24:39.000Z'), newCaseId: () => '11111111-1111-4111-8111-111111111111', random: seededRandom(), policy: slaPolicy() },
  );
  return c;
}

describe('the confirmation page after a form post without JavaScript', () => {
  it('states the response deadline as a human date with its time zone, UTC by default', async () => {
    const c = await opened();
    const page = confirmationPage(c);
    expect(page).not.toContain(new Date(c.sla.initialResponseDueAt).toUTCString());
    expect(page).toMatch(/<strong>\w+day,? \d{1,2} \w+ 20\d\d(,| at) \d\d:\d\d UTC<\/strong>/);
  });

  it('states the deadline in a configured time zone and locale', async () => {
    const page = confirmationPage(await opened(), { timeZone: 'Europe/Berlin', locale: 'de-DE' });
    expect(page).toMatch(/<strong>Mittwoch, 2\. Dezember 2026(,| um) \d\d:\d\d (MEZ|GMT\+1)<\/strong>/);
  });
});
