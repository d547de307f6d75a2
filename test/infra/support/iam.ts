import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';

export type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Resource = { Properties: Record<string, unknown> };

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of the policies attached to `role` in the template. */
export function statementsOfRole(template: Template, stack: Stack, role: iam.IRole): Statement[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as never);
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** A policy resource as text: imports by their export name, joins joined, e.g. `caseflow-dev-case-archive-bucket-arn/records/*`. */
export function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const r = resource as Record<string, unknown>;
  if ('Fn::ImportValue' in r) return String(r['Fn::ImportValue']);
  if ('Fn::Join' in r) {
    const [separator, parts] = r['Fn::Join'] as [string, unknown[]];
    return parts.map(resourceText).join(separator);
  }
  if ('Ref' in r) return `<${String(r.Ref)}>`;
  if ('Fn::GetAtt' in r) return `<${(r['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(r);
}

/** Every action each allowing statement grants on each of its resources, as `action resource`, however the statements were merged. */
export const grantsOf = (statements: readonly Statement[]): string[] =>
  statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asList(s.Action).flatMap((action) => asList(s.Resource).map((resource) => `${action} ${resourceText(resource)}`)));

/** The grants on one bucket (named by its ARN export), the bucket written `bucket`: `s3:GetObject bucket/records/*`, `s3:ListBucket bucket`. */
export const bucketGrantsOf = (statements: readonly Statement[], bucketArnExport: string): string[] =>
  grantsOf(statements)
    .filter((g) => g.includes(bucketArnExport))
    .map((g) => g.replace(bucketArnExport, 'bucket'))
    .sort();
