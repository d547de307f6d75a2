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
  /** The hosted UI's domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com`, unique in the region across AWS. */
  domainPrefix: string;
  /** Where the hosted UI sends staff back: the console's sign-in callback page, and the console after sign-out. */
  consoleUrls: { callback: string; signOut: string };
}

/** The scopes the console asks for: its user's identity, name and address; the API needs no custom scope. */
export const CONSOLE_SCOPES = [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE];

/**
 * The staff identities: the Cognito user pool (admin-created accounts, TOTP MFA; RETAINed with
 * deletion protection, as it holds the staff accounts), the groups of the staff roles, the hosted
 * UI's domain, and the staff console's app client, whose access tokens the API accepts. The console
 * signs in through the hosted UI with the authorization-code flow and PKCE (a public client: no
 * secret). Customers never sign in.
 */
export class StaffIdentity extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly userPoolClient: cognito.UserPoolClient;
  /** Issuer of the staff tokens (the user pool's URL). */
  public readonly issuer: string;
  /** The issuer's origin (Cognito's regional endpoint), where its discovery document is read. */
  public readonly issuerOrigin: string;
  /** Where the token signing keys are published. */
  public readonly jwksUrl: string;
  /** The hosted UI (Cognito's classic managed login pages) and its OAuth endpoints. */
  public readonly domain: cognito.UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`. */
  public readonly hostedUiUrl: string;

  constructor(scope: Construct, id: string, props: StaffIdentityProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'StaffUserPool', {
      // Staff accounts are created by admins (docs/deploy.md); customers never sign in.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // A staff member's team (`custom:team`, set by admins): escalations go to its contacts (docs/sla-policies.md, M3.3).
      customAttributes: { team: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
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
    this.domain = this.userPool.addDomain('StaffAuthDomain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.hostedUiUrl = this.domain.baseUrl();
    // The same client as before the hosted UI (its id is the API's JWT audience): OAuth added in place.
    this.userPoolClient = this.userPool.addClient('StaffConsoleClient', {
      // A browser app cannot keep a secret: PKCE protects the code instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      // Staff cannot change their own team with their token (it decides who their cases escalate to): admins set it.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: CONSOLE_SCOPES,
        callbackUrls: [props.consoleUrls.callback],
        logoutUrls: [props.consoleUrls.signOut],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.issuerOrigin = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com`;
    this.issuer = `${this.issuerOrigin}/${this.userPool.userPoolId}`;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
  }
}
