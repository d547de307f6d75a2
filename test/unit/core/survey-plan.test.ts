import { closeCase } from '../../../functions/core/actions/close';
import { reopenCase } from '../../../functions/core/actions/reopen';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { applySla } from '../../../functions/core/apply-sla';
import type { Case } from '../../../functions/core/case';
import { deliverOutbox } from '../../../functions/core/deliver-outbox';
import type { Mailer, OutgoingEmail } from '../../../functions/core/ports';
import { planSla } from '../../../functions/core/sla-plan';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { SurveyLinksNotConfiguredError, type SurveyLinks } from '../../../functions/core/survey';
import { timersMayHaveChanged } from '../../../functions/core/sla-workflows';
import { agent, contacts, DAY, HOUR, opened } from './actions/support';

const policy = slaPolicy();
const links: Pick<SurveyLinks, 'linkFor'> = { linkFor: async (r) => `https://support.example.com/survey/${r.surveyId}` };

class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail) {
    this.sent.push(email);
    return { messageId: `msg-${this.sent.length}` };
  }
}

/** A case resolved now, with the deps to move its clock and run its SLA workflow's steps. */
async function resolved(edit: (c: Case) => Case = (c) => c) {
  const o = await opened('inquiry');
  const c = await o.store.getCase(o.caseId);
  if (!c) throw new Error('no case');
  o.store.cases.set(o.caseId, edit(c));
  const r = await resolveCase(o.caseId, { summary: 'Answered' }, { actor: agent }, o.deps);
  return { ...o, resolvedAt: Date.parse(r.resolvedAt ?? ''), apply: () => applySla(o.caseId, { ...o.deps, contacts }) };
}

describe('the satisfaction survey on the SLA workflow (M8.1, M9.4, C7.1)', () => {
  it('falls due 24 hours after resolution, emails the customer a link once, and records survey_sent on the timeline (M8.1, C7.1)', async () => {
    const { store, caseId, clock, resolvedAt, apply } = await resolved();
    expect(planSla((await store.getCase(caseId)) as Case, clock.ms(), policy).nextAt).toBe(resolvedAt + 24 * HOUR);
    clock.advance(24 * HOUR - 1000);
    expect(await apply()).toEqual([]);
    clock.advance(1000);
    expect(await apply()).toEqual([{ type: 'send_survey' }]);
    expect(await apply()).toEqual([]);
    const c = (await store.getCase(caseId)) as Case;
    expect(c.survey).toEqual({ surveyId: expect.stringMatching(/^[0-9a-f]{32}$/), sentAt: new Date(clock.ms()).toISOString(), expiresAt: new Date(clock.ms() + 28 * DAY).toISOString() });
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({ type: 'survey_sent', actor: { kind: 'system' }, data: { surveyId: c.survey?.surveyId } });

    const mailer = new RecordingMailer();
    expect(await deliverOutbox(caseId, 'survey', { store, mailer, clock, surveyLinks: links })).toBe('sent');
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: 'pat@example.com', subject: expect.stringMatching(/How did we do\?$/) });
    expect(mailer.sent[0]?.text).toContain(`https://support.example.com/survey/${c.survey?.surveyId}`);
  });

  it('keeps survey mail waiting, with why, where the deployment has no survey links, without failing the delivery of other mail', async () => {
    const { store, caseId, clock, apply } = await resolved();
    clock.advance(DAY);
    await apply();
    const mailer = new RecordingMailer();
    expect(await deliverOutbox(caseId, 'survey', { store, mailer, clock })).toBe('not-configured');
    expect(mailer.sent).toEqual([]);
    expect(store.outbox.get(`${caseId}/survey`)).toMatchObject({ status: 'pending', lastError: 'SurveyLinksNotConfigured' });
  });

  it('keeps survey mail waiting, with why, while the deployment has keys but no survey page address yet (M8.1, C7.1)', async () => {
    const { store, caseId, clock, apply } = await resolved();
    clock.advance(DAY);
    await apply();
    const mailer = new RecordingMailer();
    const noAddress: Pick<SurveyLinks, 'linkFor'> = { linkFor: async () => Promise.reject(new SurveyLinksNotConfiguredError('the page address')) };
    expect(await deliverOutbox(caseId, 'survey', { store, mailer, clock, surveyLinks: noAddress })).toBe('not-configured');
    expect(mailer.sent).toEqual([]);
    expect(store.outbox.get(`${caseId}/survey`)).toMatchObject({ status: 'pending', lastError: 'SurveyLinksNotConfigured' });
    // Once the address is there, the same message goes.
    expect(await deliverOutbox(caseId, 'survey', { store, mailer, clock, surveyLinks: links })).toBe('sent');
  });

  it('sends no survey for a case flagged as spam (M8.1)', async () => {
    const { apply, clock, store, caseId } = await resolved((c) => ({ ...c, spam: true }));
    clock.advance(2 * DAY);
    expect(await apply()).toEqual([]);
    expect((await store.getCase(caseId))?.survey).toBeUndefined();
  });

  it('sends no survey, and no reminder, to a customer whose address bounces (M8.1)', async () => {
    const { apply, clock, store, caseId } = await resolved((c) => ({ ...c, customer: { ...c.customer, emailBouncing: true } }));
    clock.advance(2 * DAY);
    expect(await apply()).toEqual([]);
    expect(planSla((await store.getCase(caseId)) as Case, clock.ms(), policy).nextAt).toBe(Date.parse((await store.getCase(caseId))?.autoCloseAt ?? ''));

    const sent = await resolved();
    sent.clock.advance(DAY);
    await sent.apply();
    const c = (await sent.store.getCase(sent.caseId)) as Case;
    sent.store.cases.set(sent.caseId, { ...c, customer: { ...c.customer, emailBouncing: true } });
    sent.clock.advance(3 * DAY);
    expect((await sent.apply()).filter((a) => a.type === 'send_survey_reminder')).toEqual([]);
  });

  it('sends one reminder three days after an unanswered survey, and never a second (M8.1, C7.1)', async () => {
    const { apply, clock, store, caseId } = await resolved();
    clock.advance(DAY);
    await apply();
    clock.advance(3 * DAY - 1000);
    expect(await apply()).toEqual([]);
    clock.advance(1000);
    expect(await apply()).toEqual([{ type: 'send_survey_reminder' }]);
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({ type: 'survey_reminded' });
    expect(store.outbox.get(`${caseId}/survey_reminder`)).toMatchObject({ kind: 'survey_reminder', status: 'pending' });
    clock.advance(3 * DAY);
    expect(await apply()).toEqual([{ type: 'close' }]);
    const c = (await store.getCase(caseId)) as Case;
    expect(c.status).toBe('closed');
    expect(planSla(c, clock.ms(), policy)).toEqual({ due: [] });
  });

  it('still sends the survey of a case closed before it fell due, and starts the workflow again for it (M8.1, M7.2)', async () => {
    const { apply, clock, store, caseId, deps } = await resolved();
    clock.advance(HOUR);
    const before = (await store.getCase(caseId)) as Case;
    const closed = await closeCase(caseId, {}, { actor: agent }, deps);
    expect(closed.status).toBe('closed');
    const plan = planSla(closed, clock.ms(), policy);
    expect(plan).toEqual({ due: [], nextAt: Date.parse(closed.resolvedAt ?? '') + 24 * HOUR });
    expect(timersMayHaveChanged(before, closed, clock.ms())).toBe(true);
    clock.advance(23 * HOUR);
    expect(await apply()).toEqual([{ type: 'send_survey' }]);
    expect((await store.getCase(caseId))?.survey).toBeDefined();
  });

  it('sends no second survey for a case reopened and resolved again (M8.1)', async () => {
    const { apply, clock, caseId, deps } = await resolved();
    clock.advance(DAY);
    expect(await apply()).toEqual([{ type: 'send_survey' }]);
    await reopenCase(caseId, { reason: 'The customer wrote again' }, { actor: agent }, deps);
    await resolveCase(caseId, { summary: 'Answered again' }, { actor: agent }, deps);
    clock.advance(DAY);
    expect((await apply()).filter((a) => a.type === 'send_survey')).toEqual([]);
  });

  it('starts the workflow again when a corrected address lets an owed survey go (M8.1)', async () => {
    const { store, caseId, clock } = await resolved((c) => ({ ...c, customer: { ...c.customer, emailBouncing: true } }));
    const bouncing = (await store.getCase(caseId)) as Case;
    const { emailBouncing: _bounced, ...customer } = bouncing.customer;
    const corrected: Case = { ...bouncing, customer: { ...customer, email: 'pat.new@example.com' } };
    expect(planSla(bouncing, clock.ms(), policy).nextAt).toBe(Date.parse(bouncing.autoCloseAt ?? ''));
    expect(planSla(corrected, clock.ms(), policy).nextAt).toBe(Date.parse(bouncing.resolvedAt ?? '') + DAY);
    expect(timersMayHaveChanged(bouncing, corrected, clock.ms())).toBe(true);
  });

  it('does not send a survey weeks late, for a case resolved long before its workflow looked (M8.1)', async () => {
    const { apply, clock } = await resolved();
    clock.advance(30 * DAY);
    expect((await apply()).filter((a) => a.type === 'send_survey')).toEqual([]);
  });
});
