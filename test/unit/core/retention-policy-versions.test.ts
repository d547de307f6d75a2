import { closeCase } from '../../../functions/core/actions/close';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { applySla } from '../../../functions/core/apply-sla';
import { fixedClock } from '../../../functions/core/clock';
import { InvalidInputError } from '../../../functions/core/errors';
import { CURRENT_RETENTION_POLICY_VERSION, localRetention, retentionPolicy } from '../../../functions/core/retention-policy';
import {
  fixedRetention,
  listRetentionPolicies,
  publishRetentionPolicy,
  PublishRetentionPolicySchema,
  type PublishedRetentionPolicy,
  type RetentionPolicyVersions,
} from '../../../functions/core/retention-policy-versions';
import { PolicyVersionConflictError } from '../../../functions/core/sla-policy-versions';
import { parseInput } from '../../../functions/core/validation';
import { agent, contacts, DAY, opened } from './actions/support';

const admin = { kind: 'admin' as const, id: 'admin-1' };
const clock = fixedClock('2026-12-01T10:00:00.000Z');

/** The versions as the table keeps them: written once, the last published current. */
class InMemoryRetentionVersions implements RetentionPolicyVersions {
  readonly versions: PublishedRetentionPolicy[] = [];
  async current() {
    return this.versions.at(-1)?.policy ?? retentionPolicy();
  }
  async published(version: string) {
    return this.versions.find((v) => v.policy.version === version);
  }
  async list() {
    return { currentVersion: this.versions.at(-1)?.policy.version, published: this.versions };
  }
  async publish(version: PublishedRetentionPolicy) {
    if (this.versions.some((v) => v.policy.version === version.policy.version)) return false;
    this.versions.push(version);
    return true;
  }
}

const issuesOf = (value: unknown) => {
  try {
    parseInput(PublishRetentionPolicySchema, value);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.issues.map((i) => i.path);
  }
  return [];
};

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** `years` calendar years after an ISO instant, in epoch seconds. */
const yearsAfter = (iso: string, years: number) => {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return epoch(d.toISOString());
};

/** A case opened, resolved and closed by an agent under the versions' current retention. */
async function closedUnder(versions: RetentionPolicyVersions) {
  const { store, caseId, deps } = await opened('inquiry');
  await resolveCase(caseId, { summary: 'Answered' }, { actor: agent }, deps);
  const closed = await closeCase(caseId, {}, { actor: agent }, { ...deps, retention: versions });
  return { store, closed };
}

describe('the retention policy as data (M7.2, C4.3, M8.3)', () => {
  it('refuses a version that keeps records fewer than five years, naming years (M7.2, C4.3)', async () => {
    expect(issuesOf({ version: 'r-4', years: 4, reason: 'Shorter' })).toEqual(['years']);
    expect(issuesOf({ version: 'r-5', years: 5.5, reason: 'Half' })).toEqual(['years']);
    expect(issuesOf({ version: 'r-5', years: 5, reason: '' })).toEqual(['reason']);
    expect(issuesOf({ version: 'r 5', years: 5, reason: 'x' })).toEqual(['version']);
    expect(issuesOf({ version: 'r-5', years: 5, reason: 'Five' })).toEqual([]);
    // The core checks it too, whoever calls it: nothing is written.
    const versions = new InMemoryRetentionVersions();
    await expect(publishRetentionPolicy({ version: 'r-4', years: 4, reason: 'Shorter' }, admin, { versions, clock })).rejects.toMatchObject({ issues: [{ path: 'years' }] });
    expect(versions.versions).toEqual([]);
  });

  it('publishes a version once: the same content again answers it unchanged, other content under its id or a built-in id is a conflict (M8.3)', async () => {
    const versions = new InMemoryRetentionVersions();
    const first = await publishRetentionPolicy({ version: 'r-7', years: 7, reason: 'Tax law keeps invoices 7 years' }, admin, { versions, clock });
    expect(first).toMatchObject({ created: true, version: { policy: { version: 'r-7', years: 7 }, reason: 'Tax law keeps invoices 7 years', publishedBy: 'admin-1', publishedAt: clock.now().toISOString() } });
    expect(await publishRetentionPolicy({ version: 'r-7', years: 7, reason: 'Tax law keeps invoices 7 years' }, admin, { versions, clock })).toMatchObject({ created: false, version: first.version });
    await expect(publishRetentionPolicy({ version: 'r-7', years: 8, reason: 'Tax law keeps invoices 7 years' }, admin, { versions, clock })).rejects.toBeInstanceOf(PolicyVersionConflictError);
    await expect(publishRetentionPolicy({ version: 'r-7', years: 7, reason: 'Another reason' }, admin, { versions, clock })).rejects.toBeInstanceOf(PolicyVersionConflictError);
    await expect(publishRetentionPolicy({ version: CURRENT_RETENTION_POLICY_VERSION, years: 6, reason: 'Rewrite the seed' }, admin, { versions, clock })).rejects.toBeInstanceOf(PolicyVersionConflictError);
    expect(versions.versions.map((v) => v.policy)).toEqual([{ version: 'r-7', years: 7, atEnd: retentionPolicy().atEnd }]);
  });

  it('makes the newest published version current, the built-in one while none is published (M7.2, M8.3)', async () => {
    const versions = new InMemoryRetentionVersions();
    expect(await listRetentionPolicies(versions)).toEqual({ currentPolicyVersion: CURRENT_RETENTION_POLICY_VERSION, policies: [{ policy: retentionPolicy(), current: true }] });
    await publishRetentionPolicy({ version: 'r-7', years: 7, reason: 'Seven' }, admin, { versions, clock });
    await publishRetentionPolicy({ version: 'r-6', years: 6, reason: 'Six' }, admin, { versions, clock });
    const listed = await listRetentionPolicies(versions);
    expect(listed.currentPolicyVersion).toBe('r-6');
    expect(listed.policies.map((p) => [p.policy.version, p.policy.years, p.current])).toEqual([
      [CURRENT_RETENTION_POLICY_VERSION, 5, false],
      ['r-7', 7, false],
      ['r-6', 6, true],
    ]);
  });

  it('closes a case with the expiry the current version gives from the closure and its id on the case and the closure event (M7.2, C4.3)', async () => {
    const versions = new InMemoryRetentionVersions();
    await publishRetentionPolicy({ version: 'r-7', years: 7, reason: 'Seven' }, admin, { versions, clock });
    const { store, closed } = await closedUnder(versions);
    expect(closed).toMatchObject({ status: 'closed', retentionPolicyVersion: 'r-7', expiresAt: yearsAfter(closed.closedAt ?? '', 7) });
    expect((await store.getTimeline(closed.caseId)).at(-1)).toMatchObject({ type: 'status_changed', data: { to: 'closed', retentionPolicyVersion: 'r-7' } });
    // With none published: the built-in five years, as before versions were data.
    const { closed: seeded } = await closedUnder(new InMemoryRetentionVersions());
    expect(seeded).toMatchObject({ retentionPolicyVersion: CURRENT_RETENTION_POLICY_VERSION, expiresAt: yearsAfter(seeded.closedAt ?? '', 5) });
  });

  it('never changes the expiry of a case closed already when a new version is published; the next closure takes the new one (M7.2, C4.3)', async () => {
    const versions = new InMemoryRetentionVersions();
    await publishRetentionPolicy({ version: 'r-7', years: 7, reason: 'Seven' }, admin, { versions, clock });
    const { store, closed: first } = await closedUnder(versions);
    await publishRetentionPolicy({ version: 'r-6', years: 6, reason: 'Six' }, admin, { versions, clock });
    expect(await store.getCase(first.caseId)).toMatchObject({ retentionPolicyVersion: 'r-7', expiresAt: yearsAfter(first.closedAt ?? '', 7) });
    const { closed: second } = await closedUnder(versions);
    expect(second).toMatchObject({ retentionPolicyVersion: 'r-6', expiresAt: yearsAfter(second.closedAt ?? '', 6) });
  });

  it('closes automatically under the current version too, and under the local override when one is given (M7.2)', async () => {
    const versions = new InMemoryRetentionVersions();
    await publishRetentionPolicy({ version: 'r-8', years: 8, reason: 'Eight' }, admin, { versions, clock });
    const auto = await opened('inquiry');
    await resolveCase(auto.caseId, { summary: 'Answered' }, { actor: agent }, auto.deps);
    auto.clock.advance(7 * DAY);
    await applySla(auto.caseId, { ...auto.deps, contacts, retention: versions });
    const closed = await auto.store.getCase(auto.caseId);
    expect(closed).toMatchObject({ status: 'closed', retentionPolicyVersion: 'r-8', expiresAt: yearsAfter(closed?.closedAt ?? '', 8) });

    const local = await opened('inquiry');
    await resolveCase(local.caseId, { summary: 'Answered' }, { actor: agent }, local.deps);
    const short = await closeCase(local.caseId, {}, { actor: agent }, { ...local.deps, retention: fixedRetention(localRetention(60)) });
    expect(short).toMatchObject({ retentionPolicyVersion: 'local-60s', expiresAt: epoch(short.closedAt ?? '') + 60 });
  });
});
