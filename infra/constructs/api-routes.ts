import { Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { RouteDef } from '../../functions/handlers/routes';
import type { CaseflowFunction } from './caseflow-function';
import { pascalCase } from './caseflow-functions';

export interface ApiRoutesProps {
  /** The HTTP API the routes join (the stateless stack's, imported by its stage-named export). */
  httpApiId: string;
  routes: readonly RouteDef[];
  /** Makes a route handler's function with its configuration (the stack decides both). */
  createFunction: (handler: string) => CaseflowFunction;
  /** Whose tokens the staff routes accept: the staff user pool's issuer and its console client (the JWT audience). */
  jwt: { issuer: string; audience: string };
  /** The handlers that look staff members up in the user pool, and the pool's ARN. */
  directory: { readers: readonly string[]; userPoolArn: string };
  /** Why a public route needs no token (cdk-nag AwsSolutions-APIG4). */
  publicReason: (route: RouteDef) => string;
}

/**
 * Routes of functions/handlers/routes.ts built in a stack of their own on the HTTP API of the
 * stateless stack: one function per route handler (the route table's roles checked inside, as
 * everywhere), staff routes behind a JWT authorizer of this stack's for the same issuer and
 * audience, each function invokable from its own routes only.
 */
export class ApiRoutes extends Construct {
  public readonly functions = new Map<string, CaseflowFunction>();

  constructor(scope: Construct, id: string, props: ApiRoutesProps) {
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
        const fn = props.createFunction(route.handler);
        this.functions.set(route.handler, fn);
        if (props.directory.readers.includes(route.handler)) {
          fn.role.addToPrincipalPolicy(
            new iam.PolicyStatement({
              sid: 'ReadStaffDirectory',
              actions: ['cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup', 'cognito-idp:AdminListGroupsForUser'],
              resources: [props.directory.userPoolArn],
            }),
          );
        }
        // Each function is invokable from its own routes' paths only; the 405 function, which has no
        // rights at all, from the whole API (one permission, not one a fallback route: stack size).
        integration = new HttpLambdaIntegration(`${pascalCase(route.handler)}Integration`, fn.fn, { scopePermissionToRoute: route.handler !== 'method-not-allowed' });
        integrations.set(route.handler, integration);
      }
      const created = new apigwv2.HttpRoute(this, routeId(route), {
        httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration,
        authorizer: route.auth === 'staff' ? authorizer : new apigwv2.HttpNoneAuthorizer(),
      });
      if (route.auth === 'public') Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: props.publicReason(route) });
    }
  }
}

/** `GET /v1/non-compliance/{recordId}` -> `GetV1NonComplianceRecordIdRoute`. */
const routeId = (route: RouteDef) => `${pascalCase(route.method.toLowerCase())}${route.path.split(/[^A-Za-z0-9-]+/).filter(Boolean).map((p) => pascalCase(p.replace(/^[A-Z]/, (c) => c.toLowerCase()))).join('')}Route`;
