import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { caseItem, eventItem } from '../../../functions/adapters/dynamo/keys';
import type { Case } from '../../../functions/core/case';
import type { CaseEvent } from '../../../functions/core/case-event';
import { metrics } from '../../../functions/adapters/observability';
import { processRecord, protocolMetricsOf } from '../../../functions/handlers/protocol-metrics';
import { opened } from '../core/actions/support';

const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', newItem?: Record<string, unknown>, oldItem?: Record<string, unknown>): DynamoDBRecord => ({
  eventName,
  dynamodb: { ...(newItem ? { NewImage: image(newItem) } : {}), ...(oldItem ? { OldImage: image(oldItem) } : {}) },
});

describe('protocol metrics from the table stream (M6.2, C6.2)', () => {
  let c: Case;
  let events: CaseEvent[];
  beforeAll(async () => {
    const o = await opened('complaint');
    c = (await o.store.getCase(o.caseId))!;
    events = await o.store.getTimeline(o.caseId);
  });

  it('counts a case opened by channel and type, and no person or case in any dimension', () => {
    expect(protocolMetricsOf(record('INSERT', caseItem(c)))).toEqual([{ name: 'CasesOpened', unit: 'Count', value: 1, dimensions: { Channel: 'web', Type: 'complaint' } }]);
  });

  it('times the acknowledgement, the first response and the resolution from receipt, once each (M3.1, M3.2)', () => {
    const received = Date.parse(c.receivedAt);
    const acked: Case = { ...c, acknowledgedAt: new Date(received + 600_000).toISOString() };
    const answered: Case = { ...acked, firstRespondedAt: new Date(received + 3_600_000).toISOString() };
    const resolved: Case = { ...answered, status: 'resolved', resolvedAt: new Date(received + 7_200_000).toISOString() };
    expect(protocolMetricsOf(record('MODIFY', caseItem(acked), caseItem(c))).map((m) => [m.name, m.value])).toEqual([['AcknowledgementTime', 600_000]]);
    expect(protocolMetricsOf(record('MODIFY', caseItem(answered), caseItem(acked))).map((m) => [m.name, m.value])).toEqual([['FirstResponseTime', 3_600_000]]);
    expect(protocolMetricsOf(record('MODIFY', caseItem(resolved), caseItem(answered))).map((m) => [m.name, m.value])).toEqual([
      ['CasesResolved', 1],
      ['TimeToResolution', 7_200_000],
    ]);
    // A later change of the resolved case counts nothing again.
    expect(protocolMetricsOf(record('MODIFY', caseItem({ ...resolved, priority: 'high' }), caseItem(resolved)))).toEqual([]);
  });

  it('counts an SLA breach by milestone and an escalation by trigger, from their events', () => {
    const first = events[0]!;
    const breach = { ...first, seq: 9, type: 'sla_breached', data: { milestone: 'acknowledgement', dueAt: c.receivedAt, detectedAt: c.receivedAt, notify: 'supervisor' } } as unknown as CaseEvent;
    expect(protocolMetricsOf(record('INSERT', eventItem(breach)))).toEqual([{ name: 'SlaBreaches', unit: 'Count', value: 1, dimensions: { Milestone: 'acknowledgement' } }]);
    expect(protocolMetricsOf(record('INSERT', eventItem(first)))).toEqual([]);
    expect(protocolMetricsOf(record('REMOVE', undefined, eventItem(breach)))).toEqual([]);
  });

  it('emits each figure under its own dimensions and again under the service alone, the roll-up the breach-rate alarm divides', async () => {
    // The EMF documents Powertools would write to the log, one a figure.
    const published: Array<Record<string, unknown>> = [];
    const makeSingle = metrics.singleMetric.bind(metrics);
    const spy = jest.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const single = makeSingle();
      jest.spyOn(single, 'publishStoredMetrics').mockImplementation(() => {
        published.push(single.serializeMetrics() as unknown as Record<string, unknown>);
        return single;
      });
      return single;
    });
    try {
      await processRecord(record('INSERT', caseItem(c)));
    } finally {
      spy.mockRestore();
    }
    expect(published).toHaveLength(1);
    const [document] = published;
    const [directive] = (document?._aws as { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics;
    expect(directive?.Metrics.map((m) => m.Name)).toEqual(['CasesOpened']);
    // CloudWatch files the value under both dimension sets: by channel and type, and the service's total.
    expect(directive?.Dimensions).toEqual([['service', 'Channel', 'Type'], ['service']]);
    expect(document).toMatchObject({ service: 'caseflow', Channel: 'web', Type: 'complaint', CasesOpened: 1 });
  });
});
