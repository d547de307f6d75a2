import { canonicalize } from './canonical-json';
import * as z from 'zod';
import type { Actor } from './case';
import type { Clock } from './clock';
import { DomainError, InvalidInputError } from './errors';
import { calendarsByCase, CURRENT_SLA_POLICY_VERSION, SLA_POLICIES, SlaPolicySchema, type SlaPolicy } from './sla-policy';

/**
 * SLA policies as data (M8.3, docs/sla-policies.md): versions published by an admin, each
 * immutable once published; the last published is the current one, which cases opened after it
 * carry. The versions in code (SLA_POLICIES) are the seed: with none published, the current
 * version is the built-in default, as it always was.
 */
export const PublishedSlaPolicySchema = z.object({
  policy: SlaPolicySchema,
  publishedAt: z.iso.datetime(),
  /** The admin's staff id. */
  publishedBy: z.string(),
});
export type PublishedSlaPolicy = z.infer<typeof PublishedSlaPolicySchema>;

/** The port to the published versions (the single table in AWS and locally: dynamo/sla-policy-store.ts). */
export interface SlaPolicyVersions {
  /**
   * The version a case was opened under, built-in or published (a case's policy is always its own
   * version, never the current one). Unknown: NotFoundError.
   */
  policyOf(version: string): Promise<SlaPolicy>;
  /** The version cases opening now take: the last published, else the built-in default. */
  current(): Promise<SlaPolicy>;
  /** Every published version (oldest first) and the current version's id. */
  list(): Promise<{ currentVersion: string | undefined; published: PublishedSlaPolicy[] }>;
  /**
   * Writes a version and makes it current, in one transaction. False when a version with its id
   * exists already (nothing is written).
   */
  publish(version: PublishedSlaPolicy): Promise<boolean>;
}

/** A version with this id exists with another body: published versions never change (M8.3). */
export class PolicyVersionConflictError extends DomainError {}

/** Version ids are sort keys and path segments: letters, digits, `.`, `_`, `-`. */
const VERSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const sameBody = (a: SlaPolicy, b: SlaPolicy) => canonicalize(a) === canonicalize(b);

/**
 * Publishes a policy version (POST /v1/sla-policies): the body is checked by SlaPolicySchema (the
 * route's schema), its id here. The same id with the same body answers the version there is
 * (`created: false`); with another body, or a built-in id, PolicyVersionConflictError. Open cases
 * keep theirs: only a migration (sla-migration.ts) moves a case to another version.
 */
export async function publishSlaPolicy(
  policy: SlaPolicy,
  actor: Actor,
  deps: { versions: SlaPolicyVersions; clock: Clock },
): Promise<{ created: boolean; policy: SlaPolicy }> {
  if (!VERSION_ID.test(policy.version)) {
    throw new InvalidInputError([{ path: 'version', message: 'Use 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit' }]);
  }
  const builtIn = SLA_POLICIES[policy.version];
  if (builtIn) {
    if (sameBody(builtIn, policy)) return { created: false, policy: builtIn };
    throw new PolicyVersionConflictError(`Version ${policy.version} is built in and cannot change: publish the change under a new version id`);
  }
  const version: PublishedSlaPolicy = { policy, publishedAt: deps.clock.now().toISOString(), publishedBy: actor.id ?? actor.kind };
  if (await deps.versions.publish(version)) return { created: true, policy };
  const existing = await deps.versions.policyOf(policy.version);
  if (sameBody(existing, policy)) return { created: false, policy: existing };
  throw new PolicyVersionConflictError(`Version ${policy.version} was published with another body and cannot change: publish the change under a new version id`);
}

/** GET /v1/sla-policies: the built-in versions, then the published ones, the current one marked, with the calendar each case opens on. */
export async function listSlaPolicies(versions: SlaPolicyVersions) {
  const { currentVersion = CURRENT_SLA_POLICY_VERSION, published } = await versions.list();
  const all: Array<{ policy: SlaPolicy; publishedAt?: string; publishedBy?: string }> = [...Object.values(SLA_POLICIES).map((policy) => ({ policy })), ...published];
  return {
    currentPolicyVersion: currentVersion,
    policies: all.map(({ policy, ...published }) => ({ policy, current: policy.version === currentVersion, ...published, calendarByCase: calendarsByCase(policy) })),
  };
}
