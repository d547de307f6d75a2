import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { DynamoDBRecord } from 'aws-lambda';
import type { CaseflowWorkersStack } from '../../infra/workers-stack';
import { asList, bucketGrantsOf, grantsOf, statementsOfRole } from './support/iam';
import { synthesizeCaseflow } from './support/synth';

/** The expiry verifier and its redrive are the workers stack's. */
let workers: Template;
let stack: CaseflowWorkersStack;

beforeAll(() => {
  ({ workersTemplate: workers, workers: stack } = synthesizeCaseflow());
});

type Resource = { Properties: Record<string, unknown> };
const resources = (type: string) => workers.findResources(type) as Record<string, Resource>;
const idOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const verifier = () => stack.expiryVerification.verifier;
const redrive = () => stack.expiryVerification.redrive;
const variablesOf = (fn: { fn: { node: { defaultChild?: unknown } } }) =>
  (resources('AWS::Lambda::Function')[idOf(fn.fn)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const mappingsOf = (fn: { fn: { node: { defaultChild?: unknown } } }) =>
  Object.values(resources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: idOf(fn.fn) }));
const alarmsOn = (metricName: string, dimension: unknown) =>
  Object.values(resources('AWS::CloudWatch::Alarm')).filter(
    (a) => a.Properties.MetricName === metricName && JSON.stringify(a.Properties.Dimensions) === JSON.stringify([dimension]),
  );
const queueDimension = (queueId: string) => ({ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } });
const CASE_ARCHIVE_BUCKET = 'caseflow-dev-case-archive-bucket-arn';

/** A REMOVE of a case item made by nobody TTL-like: no service identity, no expiry passed. */
const manualDeletion: DynamoDBRecord = {
  eventID: 'evt-manual-1',
  eventName: 'REMOVE',
  dynamodb: {
    ApproximateCreationDateTime: 1_760_000_000,
    Keys: { PK: { S: 'CASE#0b8e6a52-3c1e-4f5e-9a59-0c1c1c9f2a10' }, SK: { S: 'CASE' } },
    OldImage: { PK: { S: 'CASE#0b8e6a52-3c1e-4f5e-9a59-0c1c1c9f2a10' }, SK: { S: 'CASE' }, entity: { S: 'case' }, status: { S: 'open' } },
    SequenceNumber: '1',
  },
};

/**
 * The metrics one record makes the verifier's record processing publish (functions/handlers/
 * expiry-records.ts), with the variables the verifier is deployed with, as the EMF document
 * Powertools would write to its log: namespace, dimensions, metric names.
 */
async function metricsPublishedFor(record: DynamoDBRecord, deployed: Record<string, unknown>) {
  const saved = { ...process.env };
  for (const name of ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE']) {
    const value = deployed[name];
    if (typeof value !== 'string') throw new Error(`the verifier is deployed without a literal ${name}`);
    process.env[name] = value;
  }
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  try {
    let emf: Record<string, unknown> = {};
    await jest.isolateModulesAsync(async () => {
      const { metrics } = await import('../../functions/adapters/observability');
      const { expiryProcessing } = await import('../../functions/handlers/expiry-records');
      const incidents: unknown[] = [];
      const archives = { putIncident: (incident: unknown) => Promise.resolve(void incidents.push(incident)) };
      await expiryProcessing({ caseArchives: archives as never, subjectKeys: {} as never })(record, new Map());
      expect(incidents).toHaveLength(1);
      emf = metrics.serializeMetrics() as unknown as Record<string, unknown>;
      metrics.clearMetrics();
    });
    return emf;
  } finally {
    process.env = saved;
  }
}

describe('the expiry verifier (M7.2 / C4.3: TTL deletions verified, not trusted)', () => {
  it('consumes every REMOVE of the table stream (TTL’s and any other) and nothing else, from the trim horizon, a hundred at a time', () => {
    const mappings = mappingsOf(verifier());
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toMatchObject({ EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(/StreamArn/) }, StartingPosition: 'TRIM_HORIZON', BatchSize: 100 });
    const filters = (mappings[0]?.Properties.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([{ eventName: ['REMOVE'] }]);
  });

  it('reports partial batch failures, bisects and retries ten times, then sends where the batch was to its own encrypted on-failure queue, which alarms', () => {
    const dlqId = idOf(stack.expiryVerification.dlq);
    expect(mappingsOf(verifier())[0]?.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    expect(resources('AWS::SQS::Queue')[dlqId]?.Properties.KmsMasterKeyId).toEqual({ 'Fn::ImportValue': expect.stringMatching(/DataKey/) });
    expect(alarmsOn('ApproximateNumberOfMessagesVisible', queueDimension(dlqId)).map((a) => a.Properties.Threshold)).toEqual([1]);
  });

  it('keeps the records it cannot verify, whole, 14 days in a queue encrypted with the data key, TLS only, that alarms on the first letter and again before SQS would drop one', () => {
    const queueId = idOf(stack.expiryVerification.deadLetters);
    const queue = resources('AWS::SQS::Queue')[queueId]?.Properties;
    // The only copy of those records: kept if the stack is deleted.
    expect((workers.findResources('AWS::SQS::Queue')[queueId] as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    expect(queue?.KmsMasterKeyId).toEqual({ 'Fn::ImportValue': expect.stringMatching(/DataKey/) });
    expect(queue?.MessageRetentionPeriod).toBe(14 * 86_400);
    // A stream record carries an item image of up to 400 KB.
    expect(queue?.MaximumMessageSize).toBe(1_048_576);
    // At least the 120 s a redrive hides a letter it received (functions/adapters/sqs-dead-letters.ts).
    expect(queue?.VisibilityTimeout).toBeGreaterThanOrEqual(120);
    workers.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
    expect(alarmsOn('ApproximateNumberOfMessagesVisible', queueDimension(queueId)).map((a) => a.Properties.Threshold)).toEqual([1]);
    const [age] = alarmsOn('ApproximateAgeOfOldestMessage', queueDimension(queueId));
    expect(Number(age?.Properties.Threshold)).toBeLessThan(14 * 86_400);
  });

  it('tells the verifier and the redrive the table, the case-archive bucket and the dead-letter queue, never a local dead-letter directory', () => {
    for (const fn of [verifier(), redrive()]) {
      const variables = variablesOf(fn);
      expect(variables.EXPIRY_DLQ_URL).toEqual({ Ref: idOf(stack.expiryVerification.deadLetters) });
      expect(variables.CASE_ARCHIVE_BUCKET).toEqual({ 'Fn::ImportValue': expect.stringMatching(/CaseArchiveBucket/) });
      expect(variables.TABLE_NAME).toEqual({ 'Fn::ImportValue': expect.stringMatching(/Table/) });
      expect(variables).not.toHaveProperty('EXPIRY_DEAD_LETTER_DIR');
    }
  });

  it('alarms on the first deletion not made by TTL within five minutes, on the metric the verifier publishes for one (namespace, service dimension)', async () => {
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.MetricName === 'UnexpectedDeletions');
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!.Properties;
    expect(alarm).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });

    const emf = await metricsPublishedFor(manualDeletion, variablesOf(verifier()));
    const [directive] = (emf._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics;
    expect(directive?.Metrics.map((m) => m.Name)).toEqual(['UnexpectedDeletions']);
    expect(alarm.Namespace).toBe(directive?.Namespace);
    // CloudWatch matches a metric by all its dimensions: the alarm names exactly those published.
    expect(directive?.Dimensions).toEqual([['service']]);
    expect(alarm.Dimensions).toEqual([{ Name: 'service', Value: emf.service }]);
  });

  it('alarms on repeated verifier errors', () => {
    expect(alarmsOn('Errors', { Name: 'FunctionName', Value: { Ref: idOf(verifier().fn) } })).toHaveLength(1);
  });

  it('gives the redrive no trigger, five minutes, and publishes its name and the queue URL for the runbook', () => {
    expect(mappingsOf(redrive())).toEqual([]);
    expect(Object.values(resources('AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties.FunctionName).includes(idOf(redrive().fn)))).toEqual([]);
    expect(resources('AWS::Lambda::Function')[idOf(redrive().fn)]?.Properties.Timeout).toBe(300);
    workers.hasOutput('ExpiryRedriveFunctionName', { Value: { Ref: idOf(redrive().fn) } });
    workers.hasOutput('ExpiryDeadLetterQueueUrl', { Value: { Ref: idOf(stack.expiryVerification.deadLetters) } });
  });
});

describe('least privilege of the expiry verification', () => {
  const bucketGrants = (fn: ReturnType<typeof verifier>) => bucketGrantsOf(statementsOfRole(workers, stack, fn.role), CASE_ARCHIVE_BUCKET);

  it.each([
    ['expiry-verifier', verifier],
    ['expiry-redrive', redrive],
  ])('lets %s read and write locked objects under records/ and index/, write incidents/, and list keys: no delete, no other object', (_name, fn) => {
    expect(bucketGrants(fn())).toEqual([
      's3:GetObject bucket/index/*',
      's3:GetObject bucket/records/*',
      // Without it S3 answers a missing receipt, archive or index entry 403 instead of 404.
      's3:ListBucket bucket',
      's3:PutObject bucket/incidents/*',
      's3:PutObject bucket/index/*',
      's3:PutObject bucket/records/*',
      's3:PutObjectRetention bucket/incidents/*',
      's3:PutObjectRetention bucket/index/*',
      's3:PutObjectRetention bucket/records/*',
    ]);
    const actions = statementsOfRole(workers, stack, fn().role).flatMap((s) => asList(s.Action).map(String));
    expect(actions.filter((a) => a.startsWith('s3:') && !bucketGrants(fn()).some((g) => g.startsWith(`${a} `)))).toEqual([]);
    expect(actions.filter((a) => /^s3:(Delete|\*)|^dynamodb:(Delete|BatchWrite|PutItem|UpdateItem|Scan|\*)/.test(a))).toEqual([]);
  });

  it('lets neither read or write the table, only the verifier read its stream', () => {
    for (const fn of [verifier(), redrive()]) {
      // The case table; the subject-key table's GetItem is test/infra/subject-keys.test.ts's.
      const grants = grantsOf(statementsOfRole(workers, stack, fn.role)).filter((g) => !g.endsWith(' caseflow-dev-subject-key-table-arn'));
      expect(grants.filter((g) => /^dynamodb:(GetItem|BatchGetItem|Query|PutItem|UpdateItem)/.test(g))).toEqual([]);
    }
    expect(grantsOf(statementsOfRole(workers, stack, verifier().role))).toContainEqual(expect.stringMatching(/^dynamodb:GetRecords .*StreamArn/));
    const redriveGrants = grantsOf(statementsOfRole(workers, stack, redrive().role)).filter((g) => !g.endsWith(' caseflow-dev-subject-key-table-arn'));
    expect(redriveGrants.filter((g) => g.startsWith('dynamodb:'))).toEqual([]);
  });

  it('lets the verifier only send to the dead-letter queue, and the redrive only receive and delete from it, each using the key through SQS and S3 only', () => {
    const queue = `<${idOf(stack.expiryVerification.deadLetters)}.Arn>`;
    const sqsGrants = (fn: ReturnType<typeof verifier>) => grantsOf(statementsOfRole(workers, stack, fn.role)).filter((g) => g.startsWith('sqs:') && g.endsWith(queue));
    expect(sqsGrants(verifier())).toEqual([`sqs:SendMessage ${queue}`]);
    expect(sqsGrants(redrive()).sort()).toEqual([`sqs:DeleteMessage ${queue}`, `sqs:ReceiveMessage ${queue}`]);
    const viaServices = (fn: ReturnType<typeof verifier>) =>
      statementsOfRole(workers, stack, fn.role)
        .filter((s) => asList(s.Action).some((a) => String(a).startsWith('kms:')) && JSON.stringify(s.Condition ?? {}).includes('kms:ViaService'))
        .map((s) => `${/"(s3|sqs)\./.exec(JSON.stringify(s.Condition))?.[1] ?? '?'}: ${asList(s.Action).sort().join(' ')}`);
    const unique = (grants: string[]) => [...new Set(grants)].sort();
    expect(unique(viaServices(verifier()))).toEqual(['s3: kms:Decrypt kms:GenerateDataKey', 'sqs: kms:Decrypt kms:GenerateDataKey']);
    expect(unique(viaServices(redrive()))).toEqual(['s3: kms:Decrypt kms:GenerateDataKey', 'sqs: kms:Decrypt']);
  });
});
