import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { API_ROUTES, type StaffRoute } from '../functions/handlers/routes';
import { GLOBAL_INDEXES } from '../functions/adapters/table-design';
import { CaseflowFunctions } from './constructs/caseflow-functions';
import type { CaseflowFunction } from './constructs/caseflow-function';
import { StaffRoutes } from './constructs/staff-routes';
import { isQualityRoute } from './quality-routes';
import { HANDLER_DATA_ACCESS } from './stateless-stack';

export interface CaseflowQualityStackProps extends StackProps {
  stage: string;
  table: dynamodb.ITable;
  dataKey: kms.IKey;
  display: { timeZone: string; locale: string };
  /** The stateless stack's stage-named exports: the HTTP API, the staff user pool and its console client. */
  httpApiIdImport: string;
  userPoolIdImport: string;
  userPoolClientIdImport: string;
}

/**
 * Routes of the HTTP API that live outside the stateless stack (it holds the API, its stage and
 * every other route): deployed after it, joined to its API by the API's stage-named export.
 */
export class CaseflowQualityStack extends Stack {
  public readonly functions: Map<string, CaseflowFunction>;
  public readonly routes: StaffRoutes;

  constructor(scope: Construct, id: string, props: CaseflowQualityStackProps) {
    super(scope, id, props);
    const functions = new CaseflowFunctions(this, {
      caseData: { table: props.table, key: props.dataKey, indexNames: GLOBAL_INDEXES.map((g) => g.indexName) },
      metricsNamespace: `caseflow/${props.stage}`,
      dataAccess: HANDLER_DATA_ACCESS,
    });
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${props.userPoolIdImport}`;
    const routes = API_ROUTES.filter((r): r is StaffRoute => isQualityRoute(r.handler) && r.auth === 'staff');
    this.routes = new StaffRoutes(this, 'QualityRoutes', {
      httpApiId: props.httpApiIdImport,
      routes,
      functions,
      jwt: { issuer, audience: props.userPoolClientIdImport },
      environment: {
        TABLE_NAME: props.table.tableName,
        JWT_ISSUER: issuer,
        JWT_JWKS_URL: `${issuer}/.well-known/jwks.json`,
        JWT_AUDIENCE: props.userPoolClientIdImport,
        STAFF_USER_POOL_ID: props.userPoolIdImport,
        DISPLAY_TIME_ZONE: props.display.timeZone,
        DISPLAY_LOCALE: props.display.locale,
      },
    });
    this.functions = functions.all;
  }
}
