import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { AwsEndpointsSchema } from './config';

type Endpoints = z.infer<typeof AwsEndpointsSchema> & { SFN_ENDPOINT?: string | undefined };

/** Local stand-ins accept any credentials; in AWS the function role's credentials are used. */
const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createDocumentClient(cfg: Endpoints): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: cfg.AWS_REGION,
    ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT, credentials: localCredentials } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createSesClient(cfg: Endpoints): SESClient {
  return new SESClient({
    region: cfg.AWS_REGION,
    // The local SES stand-in hangs on actions it does not implement: never wait forever.
    requestHandler: { requestTimeout: 10_000, connectionTimeout: 2_000 },
    ...(cfg.SES_ENDPOINT ? { endpoint: cfg.SES_ENDPOINT, credentials: localCredentials } : {}),
  });
}

export function createSfnClient(cfg: Endpoints): SFNClient {
  return new SFNClient({
    region: cfg.AWS_REGION,
    ...(cfg.SFN_ENDPOINT ? { endpoint: cfg.SFN_ENDPOINT, credentials: localCredentials } : {}),
  });
}
