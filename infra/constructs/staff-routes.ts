import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { STAFF_ROUTE_FUNCTIONS, type EnvironmentOf } from '../../functions/adapters/function-config';
import type { StaffRoute } from '../../functions/handlers/routes';
import type { CaseflowFunction } from './caseflow-function';
import { pascalCase, type CaseflowFunctions } from './caseflow-functions';

type PlainStaffRouteFunction = (typeof STAFF_ROUTE_FUNCTIONS)[number];

export interface StaffRoutesProps {
  /** The HTTP API the routes join (the stateless stack's, imported by its stage-named export). */
  httpApiId: string;
  routes: readonly StaffRoute[];
  functions: CaseflowFunctions;
  /** Whose tokens the routes accept: the staff user pool's issuer and its console client (the JWT audience). */
  jwt: { issuer: string; audience: string };
  /** What every staff route function is configured with (function-config.ts StaffApiConfigSchema). */
  environment: EnvironmentOf<'list-cases'>;
}

/**
 * Staff routes of functions/handlers/routes.ts built in a stack of their own on the HTTP API of
 * the stateless stack: one function per route handler (the route table's roles checked inside, as
 * everywhere), the same JWT issuer and audience through an authorizer of this stack's, each
 * function invokable from its own routes only. Only handlers whose configuration is the plain
 * staff one (STAFF_ROUTE_FUNCTIONS) can be placed here.
 */
export class StaffRoutes extends Construct {
  public readonly functions = new Map<string, CaseflowFunction>();

  constructor(scope: Construct, id: string, props: StaffRoutesProps) {
    super(scope, id);
    const httpApi = apigwv2.HttpApi.fromHttpApiAttributes(this, 'HttpApi', { httpApiId: props.httpApiId });
    const authorizer = new HttpJwtAuthorizer('StaffJwtAuthorizer', props.jwt.issuer, {
      // Authorizer names are unique per API: the stateless stack's is `staff-jwt`.
      authorizerName: `staff-jwt-${id.toLowerCase()}`,
      jwtAudience: [props.jwt.audience],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of props.routes) {
      let integration = integrations.get(route.handler);
      if (!integration) {
        if (!isPlainStaffRoute(route.handler)) throw new Error(`caseflow: ${route.handler} needs a configuration of its own: it cannot be placed in ${id}`);
        props.functions.dataAccessOf('route', route.handler);
        const fn = props.functions.create('route', route.handler, { environment: props.environment });
        this.functions.set(route.handler, fn);
        integration = new HttpLambdaIntegration(`${pascalCase(route.handler)}Integration`, fn.fn, { scopePermissionToRoute: true });
        integrations.set(route.handler, integration);
      }
      new apigwv2.HttpRoute(this, routeId(route), {
        httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration,
        authorizer,
      });
    }
  }
}

/** `GET /v1/non-compliance/{recordId}` -> `GetV1NonComplianceRecordIdRoute`. */
const routeId = (route: StaffRoute) => `${pascalCase(route.method.toLowerCase())}${route.path.split(/[^A-Za-z0-9-]+/).filter(Boolean).map((p) => pascalCase(p.replace(/^[A-Z]/, (c) => c.toLowerCase()))).join('')}Route`;

const isPlainStaffRoute = (handler: string): handler is PlainStaffRouteFunction => (STAFF_ROUTE_FUNCTIONS as readonly string[]).includes(handler);
