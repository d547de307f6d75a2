import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SURVEY_LINK_KEY_FINDING } from '../../infra/constructs/survey-link-keys';
import { cdkJsonContext, synthesizeCaseflow, type SynthesizedApp } from './support/synth';

let synthesized: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeCaseflow();
});

/** Unacknowledged findings as "rule at construct path", so a failure names what to fix. */
function findings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks(synthesized.app).validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`));
}

/** Every acknowledgement in the app: rule id -> reasons. */
function acknowledgements(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const construct of synthesized.app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [qualifiedId, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = qualifiedId.replace(/^annotation::/i, '');
        found.set(id, [...(found.get(id) ?? []), reason]);
      }
    }
  }
  return found;
}

describe('cdk-nag AWS Solutions checks', () => {
  it('report no unacknowledged error or warning on the stateful stack', () => {
    expect(findings(synthesized.stateful)).toEqual([]);
  });

  it('report no unacknowledged error or warning on the stateless stack', () => {
    expect(findings(synthesized.stateless)).toEqual([]);
  });

  it('report no unacknowledged error or warning on the exports stack', () => {
    expect(findings(synthesized.exports)).toEqual([]);
  });

  it('report no unacknowledged error or warning on the workers stack', () => {
    expect(findings(synthesized.workers)).toEqual([]);
  });

  it('acknowledge findings one by one, each with a written reason', () => {
    const acks = acknowledgements();
    expect(acks.size).toBeGreaterThan(0);
    for (const [id, reasons] of acks) {
      expect(id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      for (const reason of reasons) expect(reason.length).toBeGreaterThan(40);
    }
  });

  it('acknowledge wildcard IAM resources only through Resource::*, the SLA and export executions patterns, the email object prefixes, the cases’ files, the audit anchors prefix, the case-archive bucket prefixes, the privacy exports, the erasure’s prefixes, the compliance exports’ prefix, the survey link keys by alias and CDK\'s console deployment grants', () => {
    const iam = [...acknowledgements().keys()].filter((id) => id.startsWith('AwsSolutions-IAM')).sort();
    // The executions of the SLA state machine are named after case ids, raw mail after SES message
    // ids, attachments after case ids: only a pattern names them.
    expect(iam).toEqual(
      [...new Set([
        'AwsSolutions-IAM5[Resource::*]',
        synthesized.workers.slaWorkflow.executionArnFinding,
        // Corrective-action executions are named after non-compliance record ids (C8.1).
        synthesized.workers.correctiveActions.workflow.executionArnFinding,
        // SLA policy migration runs are named after migration ids (M8.3).
        synthesized.quality.slaPolicyMigration.workflow.executionArnFinding,
        ...synthesized.workers.emailIngestObjectFindings,
        ...synthesized.workers.auditAnchorObjectFindings,
        ...synthesized.stateless.auditAnchorReadFindings,
        ...synthesized.workers.caseArchiveObjectFindings,
        ...synthesized.workers.expiryVerificationObjectFindings,
        ...synthesized.workers.retentionReconcileObjectFindings,
        ...synthesized.stateless.caseApi.caseArchiveReadFindings,
        ...synthesized.stateless.caseApi.attachmentDownloadFindings,
        ...synthesized.stateless.caseApi.privacyExportFindings,
        ...synthesized.stateless.caseApi.erasureFindings,
        ...synthesized.stateless.caseApi.complianceExportFindings,
        ...synthesized.exports.complianceExports.objectFindings,
        ...synthesized.stateless.consoleDeploymentFindings,
        // The survey links' HMAC keys, granted by alias (kms:ResourceAliases) so that a rotation leaves no export in use (M8.1, C7.1).
        SURVEY_LINK_KEY_FINDING,
      ])].sort(),
    );
    // Compliance exports: exports/ of the exports bucket (never table-exports/, the full dumps), and the auditors' runs of the export workflow.
    expect([...new Set([...synthesized.stateless.caseApi.complianceExportFindings, ...synthesized.exports.complianceExports.objectFindings])].sort()).toEqual([
      'AwsSolutions-IAM5[Resource::<MonthlyReportJobFunctionF740EE03.Arn>:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:caseflow-dev-compliance-export:export-*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-exports-bucket-arn/exports/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-exports-bucket-arn/exports/manifests/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-exports-bucket-arn/reports/monthly/*]',
    ]);
    // CDK's BucketDeployment grants, acknowledged on the deployment function's role only.
    expect([...synthesized.stateless.consoleDeploymentFindings].sort()).toEqual([
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      `AwsSolutions-IAM5[Resource::<${synthesized.stateless.getLogicalId(synthesized.stateless.staffConsole.bucket.node.defaultChild as never)}.Arn>/*]`,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
    ]);
    // The attachment downloads read the cases' files alone, not the rest of the archive.
    expect(synthesized.stateless.caseApi.attachmentDownloadFindings).toEqual(['AwsSolutions-IAM5[Resource::caseflow-dev-archive-bucket-arn/cases/*/attachments/*]']);
    // The writer (workers stack) and the verifier (the staff API) acknowledge the same prefix, each on its own role.
    expect(synthesized.workers.auditAnchorObjectFindings).toEqual(['AwsSolutions-IAM5[Resource::caseflow-dev-audit-anchor-bucket-arn/audit-anchors/*]']);
    expect(synthesized.stateless.auditAnchorReadFindings).toEqual(synthesized.workers.auditAnchorObjectFindings);
    // Access requests (M5.1, C6.1): the customer's files, raw mail, archives and subject index entries, and the exports, by prefix.
    expect([...new Set(synthesized.stateless.caseApi.privacyExportFindings)].sort()).toEqual([
      'AwsSolutions-IAM5[Resource::caseflow-dev-archive-bucket-arn/cases/*/attachments/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-archive-bucket-arn/privacy-exports/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-case-archive-bucket-arn/index/subjects/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-case-archive-bucket-arn/records/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-inbound-bucket-arn/inbound/*]',
    ]);
    // Erasure requests (M5.1, C6.1): deletes by prefix (the cases' files, earlier exports, raw mail, the subject index), reads of the archives; never a whole bucket.
    expect([...synthesized.stateless.caseApi.erasureFindings].sort()).toEqual([
      'AwsSolutions-IAM5[Resource::caseflow-dev-archive-bucket-arn/cases/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-archive-bucket-arn/privacy-exports/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-case-archive-bucket-arn/index/subjects/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-case-archive-bucket-arn/records/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-inbound-bucket-arn/inbound/*]',
    ]);
    // The case-archive bucket by prefix, never the whole bucket: archives and receipts, the reference index, deletion incidents.
    const caseArchive = (prefix: string) => `AwsSolutions-IAM5[Resource::caseflow-dev-case-archive-bucket-arn/${prefix}/*]`;
    expect([...synthesized.workers.caseArchiveObjectFindings].sort()).toEqual([caseArchive('index'), caseArchive('records')]);
    expect([...synthesized.workers.retentionReconcileObjectFindings].sort()).toEqual([caseArchive('index'), caseArchive('records')]);
    expect([...synthesized.stateless.caseApi.caseArchiveReadFindings].sort()).toEqual([caseArchive('index'), caseArchive('records')]);
    expect([...synthesized.workers.expiryVerificationObjectFindings].sort()).toEqual([caseArchive('incidents'), caseArchive('index'), caseArchive('records')]);
    expect([...synthesized.workers.emailIngestObjectFindings].sort()).toEqual([
      'AwsSolutions-IAM5[Resource::caseflow-dev-archive-bucket-arn/cases/*]',
      'AwsSolutions-IAM5[Resource::caseflow-dev-inbound-bucket-arn/inbound/*]',
    ]);
    expect(synthesized.workers.slaWorkflow.executionArnFinding).toBe(
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:caseflow-dev-case-sla:*]',
    );
  });

  it('document every acknowledged rule in docs/deploy.md', () => {
    const doc = readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
    // Resource names carry the stage; the guide writes it as <stage>.
    const stage = String(cdkJsonContext()['caseflow:stage']);
    for (const id of acknowledgements().keys()) expect(doc).toContain(id.replaceAll(`caseflow-${stage}-`, 'caseflow-<stage>-'));
  });
});
