import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmedDlq } from './alarmed-dlq';
import { grantSendMail } from './case-data-grants';
import type { CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { EncryptedQueueDlq } from './encrypted-queue-dlq';
import { LIST_STREAMS_JUSTIFICATION, streamInserts } from './stream-inserts';
import { grantSurveyLinks, surveyLinkEnvironment } from './survey-link-keys';

export interface OutboxDeliveryProps {
  /** Makes the outbox-stream function. */
  functions: CaseflowFunctions;
  /** The table whose stream carries the owed messages. */
  table: dynamodb.ITable;
  /** Encrypts the DLQ. */
  dataKey: kms.IKey;
  /** The From address of every message (an SES email identity). */
  senderEmail: string;
  /** How mail shows dates. */
  display: { timeZone: string; locale: string };
  /** The survey links' KMS HMAC keys (survey-link-keys.ts): the stage and the key ids, newest first. */
  surveyLinks: { stage: string; keys: readonly string[] };
}

/**
 * Outbound mail: the SES configuration set and sender identity, and the outbox-stream function
 * that delivers every message the table owes (the acknowledgement of a case, M3.1, and staff
 * notifications) as its outbox item is inserted, with a DLQ and an alarm for what it cannot deliver.
 */
export class OutboxDelivery extends Construct {
  public readonly configurationSet: ses.ConfigurationSet;
  public readonly senderIdentity: ses.EmailIdentity;
  /** On-failure destination of the outbox stream mapping. */
  public readonly deliveryDlq: sqs.Queue;
  public readonly function: CaseflowFunction;

  constructor(scope: Construct, id: string, props: OutboxDeliveryProps) {
    super(scope, id);

    this.configurationSet = new ses.ConfigurationSet(this, 'MailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.senderIdentity = new ses.EmailIdentity(this, 'SenderIdentity', {
      identity: ses.Identity.email(props.senderEmail),
      configurationSet: this.configurationSet,
    });

    this.deliveryDlq = alarmedDlq(this, 'OutboxDeliveryDlq', {
      consumer: 'outbox',
      key: props.dataKey,
      alarmId: 'OutboxDeliveryFailedAlarm',
      alarmDescription: 'An outbox batch exhausted its retries: a message to a customer or a staff contact was not delivered. Inspect the DLQ.',
    });

    this.function = props.functions.create('stream', 'outbox-stream', {
      description: 'caseflow outbox-stream: delivers owed messages from the table stream',
      environment: {
        TABLE_NAME: props.table.tableName,
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        DISPLAY_TIME_ZONE: props.display.timeZone,
        DISPLAY_LOCALE: props.display.locale,
        // The survey mail's links (M8.1, C7.1): signed by KMS; the page's address is the setting the quality stack writes into the table.
        ...surveyLinkEnvironment(props.surveyLinks.stage, props.surveyLinks.keys),
      },
      timeout: Duration.seconds(60),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });
    // Customers and staff alike (SLA warnings, breaches and escalations go to the contacts of
    // caseflow:teamInboxEmail, supervisorEmail, managerEmail): the grant limits the sender, not the recipients.
    grantSendMail(this.function.role, {
      identityArn: this.senderIdentity.emailIdentityArn,
      configurationSetArn: Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
      fromAddress: props.senderEmail,
    });
    grantSurveyLinks(this.function.role, 'sign', props.surveyLinks.stage, props.surveyLinks.keys);
    // Only new outbox items: the acknowledgement owed for a case (M3.1, 15 minutes) and staff notifications.
    this.function.fn.addEventSource(streamInserts(props.table, 'outbox', new EncryptedQueueDlq(this.deliveryDlq, props.dataKey)));
  }
}
