import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { AwsEndpointsSchema } from './config';

export type Endpoints = z.infer<typeof AwsEndpointsSchema> & { SFN_ENDPOINT?: string | undefined };

/**
 * The DynamoDB client. The SES and Step Functions clients live with their adapters, so a function
 * loads only the SDK clients it uses (cold start). Local stand-ins accept any credentials; in AWS
 * the function role's credentials are used.
 */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createDocumentClient(cfg: Endpoints): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: cfg.AWS_REGION,
    ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT, credentials: localCredentials } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
