import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { AwsEndpointsSchema } from './config';

export type Endpoints = z.infer<typeof AwsEndpointsSchema> & { SFN_ENDPOINT?: string | undefined };

/** The credentials for a local stand-in: the install's own, from the environment; never a guessable constant. */
export function standInCredentials(cfg: Pick<Endpoints, 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY'>): { accessKeyId: string; secretAccessKey: string } {
  if (!cfg.AWS_ACCESS_KEY_ID || !cfg.AWS_SECRET_ACCESS_KEY) {
    throw new Error('caseflow configuration error: a local endpoint needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the stand-ins\' credentials)');
  }
  return { accessKeyId: cfg.AWS_ACCESS_KEY_ID, secretAccessKey: cfg.AWS_SECRET_ACCESS_KEY };
}

/**
 * The DynamoDB client. The SES and Step Functions clients live with their adapters, so a function
 * loads only the SDK clients it uses (cold start). In AWS the function role's credentials are used.
 */
export function createDocumentClient(cfg: Endpoints): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: cfg.AWS_REGION,
    ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT, credentials: standInCredentials(cfg) } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
