import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { pascalCase } from './caseflow-functions';

export interface StaffGroup {
  name: string;
  description: string;
}

export interface StaffIdentityProps {
  /** The staff roles' Cognito groups; precedence follows the order (the first wins). */
  groups: readonly StaffGroup[];
}

/**
 * The staff identities: the Cognito user pool (admin-created accounts, TOTP MFA; RETAINed with
 * deletion protection, as it holds the staff accounts), the groups of the staff roles, and the
 * staff console's app client, whose tokens the API accepts. Customers never sign in.
 */
export class StaffIdentity extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly userPoolClient: cognito.UserPoolClient;
  /** Issuer of the staff tokens (the user pool's URL). */
  public readonly issuer: string;
  /** Where the token signing keys are published. */
  public readonly jwksUrl: string;

  constructor(scope: Construct, id: string, props: StaffIdentityProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'StaffUserPool', {
      // Staff accounts are created by admins (docs/deploy.md); customers never sign in.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Staff tokens open customers' personal data (M5.1 / C6.1): a second factor is required.
      // TOTP only: SMS is weaker and needs an SNS role and spend limits.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) is billed per active user; the pool has admin-created accounts only, required TOTP MFA, a 12-character password policy and short-lived tokens. docs/deploy.md shows how to switch to Plus.',
    });
    for (const [precedence, group] of props.groups.entries()) {
      this.userPool.addGroup(`Group${pascalCase(group.name)}`, { groupName: group.name, description: group.description, precedence });
    }
    this.userPoolClient = this.userPool.addClient('StaffConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
  }
}
