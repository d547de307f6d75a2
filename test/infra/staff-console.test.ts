import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildConsoleSync } from '../../web/console/build';
import { VIEWER_REQUEST_CODE, unversionedReferences } from '../../infra/constructs/staff-console';
import type { CaseflowStatelessStack } from '../../infra/stateless-stack';
import { synthesizeCaseflow, type SynthesizedApp } from './support/synth';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Behavior = Record<string, unknown> & { PathPattern?: string; TargetOriginId: string };
type Origin = { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown; CustomOriginConfig?: unknown };

// CloudFront's managed policies (their ids are fixed by AWS).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let synthesized: SynthesizedApp;
let stack: CaseflowStatelessStack;

beforeAll(() => {
  synthesized = synthesizeCaseflow();
  stack = synthesized.stateless;
});

const resourcesOf = (s: SynthesizedApp, type: string) => s.statelessTemplate.findResources(type) as Record<string, Resource>;
const idOf = (s: CaseflowStatelessStack, construct: { node: { defaultChild?: unknown } }) => s.getLogicalId(construct.node.defaultChild as CfnElement);
const only = <T>(items: Record<string, T>): T => {
  const values = Object.values(items);
  expect(values).toHaveLength(1);
  return values[0] as T;
};
const distributionConfig = (s: SynthesizedApp = synthesized) =>
  only(resourcesOf(s, 'AWS::CloudFront::Distribution')).Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: Origin[];
    Logging?: { Bucket: unknown };
    Aliases?: string[];
    ViewerCertificate?: Record<string, unknown>;
  };
const distributionDomain = () => ({ 'Fn::GetAtt': [idOf(stack, stack.staffConsole.distribution), 'DomainName'] });
/** The CSP of the response headers policy, its CloudFormation tokens written as `<token>`. */
const csp = (s: SynthesizedApp = synthesized): Map<string, string[]> => {
  const policy = only(resourcesOf(s, 'AWS::CloudFront::ResponseHeadersPolicy')).Properties.ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } };
  };
  const value = policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof value === 'string' ? value : value['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part)}>`)).join('');
  return new Map(text.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name ?? '', sources]));
};

/** Unacknowledged cdk-nag findings of the stateless stack, as "rule at path". */
const findings = (s: SynthesizedApp) =>
  new AwsSolutionsChecks(s.app)
    .validateScope(s.stateless)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`));

describe('the staff console bucket', () => {
  it('is private, encrypted, versioned, TLS-only and access-logged to the console log bucket', () => {
    const bucket = resourcesOf(synthesized, 'AWS::S3::Bucket')[idOf(stack, stack.staffConsole.bucket)];
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: idOf(stack, stack.staffConsole.logsBucket) } },
    });
    expect(bucket?.Properties).not.toHaveProperty('WebsiteConfiguration');
  });

  it('lets only this distribution read it, through Origin Access Control, and refuses anything but TLS 1.2+', () => {
    const policies = Object.values(resourcesOf(synthesized, 'AWS::S3::BucketPolicy')).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: idOf(stack, stack.staffConsole.bucket) }),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0]?.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([':distribution/', { Ref: idOf(stack, stack.staffConsole.distribution) }])] }) } },
      }),
    ]);
    // The rest only deny (plain HTTP, TLS below 1.2).
    expect(statements.filter((s) => s.Effect !== 'Deny' && s.Effect !== 'Allow')).toEqual([]);
    const origin = distributionConfig().Origins.find((o) => o.S3OriginConfig);
    expect(origin).toMatchObject({ OriginAccessControlId: { 'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } });
    expect(Object.keys(synthesized.statelessTemplate.findResources('AWS::CloudFront::CloudFrontOriginAccessIdentity'))).toEqual([]);
  });
});

describe('the staff console distribution', () => {
  it('serves /console/ from the bucket (the default behaviour, HTTPS only) and sends /v1/* uncached to the HTTP API with every method and viewer header but Host', () => {
    const config = distributionConfig();
    const s3Origin = config.Origins.find((o) => o.S3OriginConfig);
    const apiOrigin = config.Origins.find((o) => o.CustomOriginConfig);
    expect(config.DefaultCacheBehavior).toMatchObject({ TargetOriginId: s3Origin?.Id, ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    // Everything but /v1/* is the console's: no other behaviour can take /console/* elsewhere.
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['/v1/*']);
    expect(config.CacheBehaviors[0]).toMatchObject({
      TargetOriginId: apiOrigin?.Id,
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
      ViewerProtocolPolicy: 'https-only',
    });
    expect(apiOrigin).toMatchObject({
      DomainName: { 'Fn::Join': ['', [{ Ref: idOf(stack, stack.api) }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
  });

  it('keys its static cache on the asset version only, so a new build is a new URL', () => {
    const policy = only(resourcesOf(synthesized, 'AWS::CloudFront::CachePolicy')).Properties.CachePolicyConfig as Record<string, unknown>;
    expect(policy).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 0,
      ParametersInCacheKeyAndForwardedToOrigin: { QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['v'] }, HeadersConfig: { HeaderBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' } },
    });
  });

  it('logs every request to the console log bucket', () => {
    expect(distributionConfig().Logging).toMatchObject({ Bucket: { 'Fn::GetAtt': [idOf(stack, stack.staffConsole.logsBucket), 'RegionalDomainName'] } });
  });

  it('sends a CSP without unsafe-inline or eval, allowing only itself and the Cognito sign-in endpoints, no framing and no remote images', () => {
    const directives = csp();
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    for (const sources of directives.values()) expect(sources.filter((s) => /unsafe|\*/.test(s))).toEqual([]);
    const hostedUi = `https://<{"Ref":"${idOf(stack, stack.identity.domain)}"}>.auth.<{"Ref":"AWS::Region"}>.amazoncognito.com`;
    expect(directives.get('connect-src')).toEqual(["'self'", hostedUi]); // not cognito-idp.<region>, which serves every pool
    expect(directives.get('form-action')).toEqual(["'self'", hostedUi]);
  });

  it('sends HSTS, nosniff, no-referrer and X-Frame-Options DENY with every response, console and API alike', () => {
    const policy = only(resourcesOf(synthesized, 'AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policy.Properties.ResponseHeadersPolicyConfig).toMatchObject({
      SecurityHeadersConfig: {
        StrictTransportSecurity: { AccessControlMaxAgeSec: expect.any(Number), IncludeSubdomains: true, Override: true },
        ContentTypeOptions: { Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
      },
    });
    const config = distributionConfig();
    const policyRef = { Ref: idOf(stack, stack.staffConsole.responseHeaders) };
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) expect(behavior.ResponseHeadersPolicyId).toEqual(policyRef);
  });

  it('uses a custom domain with its certificate and TLS 1.2 when both are configured, and calls back there', () => {
    const custom = synthesizeCaseflow({
      'caseflow:consoleDomainName': 'console.example.com',
      'caseflow:consoleCertificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab',
    });
    expect(distributionConfig(custom)).toMatchObject({
      Aliases: ['console.example.com'],
      ViewerCertificate: {
        AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab',
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
    const client = only(resourcesOf(custom, 'AWS::Cognito::UserPoolClient'));
    expect(client.Properties).toMatchObject({ CallbackURLs: ['https://console.example.com/console/callback.html'], LogoutURLs: ['https://console.example.com/console/'] });
    // With its own certificate the TLSv1 finding is gone: nothing acknowledges it, nothing reports it.
    expect(findings(custom)).toEqual([]);
    expect(JSON.stringify(custom.stateless.staffConsole.distribution.node.metadata)).not.toContain('AwsSolutions-CFR4');
    expect(JSON.stringify(stack.staffConsole.distribution.node.metadata)).toContain('AwsSolutions-CFR4');
  });

  it('puts a configured AWS WAF web ACL in front of the console, and reports no cdk-nag finding either way', () => {
    const webAcl = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/caseflow/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
    const withAcl = synthesizeCaseflow({ 'caseflow:consoleWebAclArn': webAcl });
    expect(only(resourcesOf(withAcl, 'AWS::CloudFront::Distribution')).Properties.DistributionConfig).toMatchObject({ WebACLId: webAcl });
    expect(findings(withAcl)).toEqual([]);
    expect(findings(synthesized)).toEqual([]);
  });
});

describe('the viewer-request function', () => {
  type Request = { method: string; uri: string };
  type Response = { statusCode: number; headers?: Record<string, { value: string }> };
  // cloudfront-js-2.0 is ECMAScript 5.1 plus some ES6+: plain Node runs this handler as CloudFront would.
  const handler = new Function(`${VIEWER_REQUEST_CODE}; return handler;`)() as (event: { request: Request }) => Request | Response;
  const run = (method: string, uri: string) => handler({ request: { method, uri } });

  it('sends the site root and /console to /console/, and serves index.html for /console/', () => {
    expect(run('GET', '/')).toMatchObject({ statusCode: 302, headers: { location: { value: '/console/' } } });
    expect(run('GET', '/console')).toMatchObject({ statusCode: 302, headers: { location: { value: '/console/' } } });
    expect(run('GET', '/console/')).toEqual({ method: 'GET', uri: '/console/index.html' });
    expect(run('GET', '/console/app.js')).toEqual({ method: 'GET', uri: '/console/app.js' });
  });

  it('passes the staff API through and refuses anonymous case intake, which must reach the API with the customer\'s own address', () => {
    expect(run('PATCH', '/v1/cases/c-1')).toEqual({ method: 'PATCH', uri: '/v1/cases/c-1' });
    expect(run('GET', '/v1/cases')).toEqual({ method: 'GET', uri: '/v1/cases' });
    for (const uri of ['/v1/cases', '/v1/cases/', '/v1//cases']) expect(run('POST', uri)).toMatchObject({ statusCode: 403 });
  });
});

describe('the deployed console files', () => {
  /** The custom resource of each of the three deployments (its logical ID starts with the deployment's id). */
  const deployments = () => {
    const all = Object.entries(resourcesOf(synthesized, 'Custom::CDKBucketDeployment'));
    const of = (deployment: { node: { id: string } }): Resource & { DependsOn?: string[] } => {
      const found = all.filter(([id]) => id.startsWith(`${deployment.node.id}CustomResource`));
      expect(found).toHaveLength(1);
      return { ...(found[0]?.[1] as Resource), DependsOn: synthesized.statelessTemplate.toJSON().Resources[found[0]?.[0] ?? ''].DependsOn };
    };
    const { assets, versionedAssets, entry } = stack.staffConsole.deployments;
    return { assets: of(assets), versionedAssets: of(versionedAssets), entry: of(entry) };
  };

  it('writes config.json at deploy time with the API base, the pool, the app client, the hosted UI and the console\'s URLs', () => {
    const { entry } = deployments();
    const markers = (entry.Properties.SourceMarkers as Array<Record<string, unknown>>).flatMap((m) => Object.values(m));
    expect(markers).toEqual(
      expect.arrayContaining([
        { Ref: idOf(stack, stack.identity.userPool) },
        { Ref: idOf(stack, stack.identity.userPoolClient) },
        { Ref: idOf(stack, stack.identity.domain) },
        distributionDomain(),
      ]),
    );
    expect(stack.resolve(stack.staffConsole.config)).toEqual({
      apiBase: '/v1',
      auth: {
        kind: 'cognito',
        authority: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: idOf(stack, stack.identity.userPool) }]] },
        clientId: { Ref: idOf(stack, stack.identity.userPoolClient) },
        domain: { 'Fn::Join': ['', ['https://', { Ref: idOf(stack, stack.identity.domain) }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] },
        redirectUri: { 'Fn::Join': ['', ['https://', distributionDomain(), '/console/callback.html']] },
        logoutUri: { 'Fn::Join': ['', ['https://', distributionDomain(), '/console/']] },
      },
    });
  });

  it('bakes nothing of the deployment into the bundle: only the entry files carry deploy-time values', () => {
    const { assets, versionedAssets, entry } = deployments();
    expect(assets.Properties.SourceMarkers).toBeUndefined();
    expect(versionedAssets.Properties.SourceMarkers).toBeUndefined();
    expect(entry.Properties).toMatchObject({ Include: ['*.html', 'config.json'], Exclude: ['*'] });
  });

  it('serves the pages and config.json with no-store, the versioned bundle for a year and anything else revalidated, under /console/', () => {
    const { assets, versionedAssets, entry } = deployments();
    expect(entry.Properties).toMatchObject({ DestinationBucketKeyPrefix: 'console/', SystemMetadata: { 'cache-control': 'no-store' } });
    expect(versionedAssets.Properties).toMatchObject({ Include: ['*.js', '*.css'], SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(assets.Properties).toMatchObject({ Exclude: ['*.html', 'config.json', '*.js', '*.css'], SystemMetadata: { 'cache-control': 'no-cache' } });
    // The pages go last, so a new page never names a file not yet uploaded.
    expect(entry.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ConsoleAssets/), expect.stringMatching(/^ConsoleVersionedAssets/)]),
    );
  });

  it('finds a script or style sheet a page names without its content version', () => {
    expect(unversionedReferences('<link rel="stylesheet" href="app.css?v=abc123"><script type="module" src="app.js?v=def456"></script>')).toEqual([]);
    expect(unversionedReferences('<link rel="stylesheet" href="app.css"><script src="./app.js?x=1"></script><link rel="icon" href="favicon.svg">')).toEqual(['app.css', './app.js?x=1']);
  });

  it('builds a console whose pages name their scripts and styles by content version (the synth-time build)', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'caseflow-console-'));
    try {
      buildConsoleSync(out, { minify: true });
      const pages = readdirSync(out).filter((f) => f.endsWith('.html'));
      expect(pages).toContain('index.html');
      for (const page of pages) expect({ page, unversioned: unversionedReferences(readFileSync(path.join(out, page), 'utf8')) }).toEqual({ page, unversioned: [] });
      // config.json is the deployment's, never the build's.
      expect(readdirSync(out)).not.toContain('config.json');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('console sign-in (Cognito hosted UI)', () => {
  it('lets the console\'s app client use the authorization-code flow only, without a secret (PKCE), back to the distribution', () => {
    const client = resourcesOf(synthesized, 'AWS::Cognito::UserPoolClient')[idOf(stack, stack.identity.userPoolClient)];
    expect(client?.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', distributionDomain(), '/console/callback.html']] }],
      LogoutURLs: [{ 'Fn::Join': ['', ['https://', distributionDomain(), '/console/']] }],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect(client?.Properties.ExplicitAuthFlows).not.toEqual(expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH']));
  });

  it('makes the API\'s JWT authorizer accept that client\'s tokens', () => {
    const authorizer = only(resourcesOf(synthesized, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizer.Properties).toMatchObject({ AuthorizerType: 'JWT', JwtConfiguration: { Audience: [{ Ref: idOf(stack, stack.identity.userPoolClient) }] } });
  });

  it('hosts the sign-in pages on a Cognito domain named after the stage and account, or the configured prefix', () => {
    expect(only(resourcesOf(synthesized, 'AWS::Cognito::UserPoolDomain')).Properties).toMatchObject({
      Domain: { 'Fn::Join': ['', ['caseflow-dev-', { Ref: 'AWS::AccountId' }]] },
      UserPoolId: { Ref: idOf(stack, stack.identity.userPool) },
    });
    const named = synthesizeCaseflow({ 'caseflow:authDomainPrefix': 'acme-support-staff' });
    expect(only(resourcesOf(named, 'AWS::Cognito::UserPoolDomain')).Properties).toMatchObject({ Domain: 'acme-support-staff' });
  });

  it('outputs the console URL and the hosted UI domain', () => {
    const outputs = synthesized.statelessTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ConsoleUrl?.Value).toEqual({ 'Fn::Join': ['', ['https://', distributionDomain(), '/console/']] });
    expect(outputs.StaffSignInDomain?.Value).toEqual({ 'Fn::Join': ['', ['https://', { Ref: idOf(stack, stack.identity.domain) }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] });
  });
});
