import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Aws, AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildConsoleSync } from '../../web/console/build';
import { S3_MANAGED_PRIVATE_BUCKET } from '../stateful-stack';
import type { StaffIdentity } from './staff-identity';

/** Where the console's sources are; the asset is their build (web/console/build.ts), made at synth. */
const CONSOLE_SOURCE = path.resolve(__dirname, '..', '..', 'web', 'console');

/** The console is served under this path, the staff API under /v1 (same origin: no CORS). */
export const CONSOLE_PATH = '/console/';

/** Files every load must fetch fresh: the entry pages and the deploy-time configuration. */
export const ENTRY_FILES = ['*.html', 'config.json'] as const;
/**
 * The bundle: the pages load it as `app.js?v=<content hash>` (web/console/build.ts), and the cache
 * key includes `v`, so a new build is a new URL to browsers and to CloudFront: cached for a year.
 * Synth fails if a page names a script or style sheet without its version (versionedReferencesOf).
 */
export const VERSIONED_FILES = ['*.js', '*.css'] as const;
/** The query parameter carrying an asset's content version. */
export const VERSION_PARAMETER = 'v';

export const CACHE_CONTROL = {
  entry: 'no-store',
  versioned: 'public, max-age=31536000, immutable',
  // Anything else (the icon): browsers revalidate it (ETag), so a deploy shows at once.
  other: 'no-cache',
} as const;

/** The staff console's deploy-time configuration (GET /console/config.json): never baked into the bundle. */
export interface ConsoleConfig {
  apiBase: '/v1';
  auth: { kind: 'cognito'; authority: string; clientId: string; domain: string; redirectUri: string; logoutUri: string };
}

export interface StaffConsoleProps {
  /** Where `/v1/*` goes: the staff case API (and customer intake, refused here). */
  api: apigwv2.IHttpApi;
  /** The user pool, its hosted UI domain and the console's app client. */
  identity: StaffIdentity;
  /** A custom domain (its certificate in us-east-1); without it the console is on the distribution's *.cloudfront.net name. */
  customDomain?: { domainName: string; certificateArn: string };
  /** A CLOUDFRONT-scope AWS WAF web ACL (us-east-1) to put in front of the console and its API route. */
  webAclArn?: string;
}

/**
 * The staff console as static files: a private bucket read only by the distribution (Origin Access
 * Control), the build deployed into it with a `config.json` written at deploy time from the user
 * pool's settings, and a CloudFront distribution serving `/console/` with security headers (a CSP
 * without unsafe-inline) and routing `/v1/*` to the HTTP API, so the console calls its own origin.
 * Access logs of the distribution and of the bucket go to a log bucket of their own.
 */
export class StaffConsole extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly logsBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  /** Rewrites `/console/` to its index.html, redirects `/` there, refuses customer intake through this origin. */
  public readonly viewerRequest: cloudfront.Function;
  /** `https://<host>`: the console's origin (the custom domain, or the distribution's name). */
  public readonly origin: string;
  /** `https://<host>/console/`. */
  public readonly url: string;
  /** What `/console/config.json` holds (CloudFormation values until deployed). */
  public readonly config: ConsoleConfig;
  /** The three deployments: unversioned files, versioned assets, then the entry pages with config.json. */
  public readonly deployments: { assets: s3deploy.BucketDeployment; versionedAssets: s3deploy.BucketDeployment; entry: s3deploy.BucketDeployment };
  /** The role of the deployment function: its log group, and CDK's grants on the asset and console buckets. */
  public readonly deploymentRole: iam.Role;

  constructor(scope: Construct, id: string, props: StaffConsoleProps) {
    super(scope, id);

    // CloudFront's standard logs are written with an ACL grant to the log-delivery account, so
    // this bucket has ACLs on (object writer: the bucket owner still owns what it writes). The
    // stateful stack's access-log bucket has ACLs off and cannot take them, and logging into it
    // from here would make the stateful stack's bucket policy name this stack's bucket (a cycle).
    // Logs are evidence: RETAINed, kept a year like the other access logs.
    this.logsBucket = new s3.Bucket(this, 'ConsoleLogsBucket', {
      ...S3_MANAGED_PRIVATE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the log bucket: it receives the distribution\'s access logs and the console bucket\'s server access logs. Logging it would need yet another bucket for logs of log deliveries.',
    });

    // Built files only, rebuilt from the repository at every deploy; versions let a bad deploy be
    // rolled back by hand for 30 days. RETAINed like every bucket of caseflow (a new stack makes a new one).
    this.bucket = new s3.Bucket(this, 'ConsoleBucket', {
      ...S3_MANAGED_PRIVATE_BUCKET,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'expire-old-versions-after-30-days', noncurrentVersionExpiration: Duration.days(30), expiredObjectDeleteMarker: true },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    const hostedUi = props.identity.hostedUiUrl;
    // The console gives oidc-client-ts every endpoint (no discovery document, no keys fetched), and it
    // calls the hosted UI's token and revocation endpoints alone: that origin, and no other, may be
    // fetched besides this one. Not cognito-idp.<region>: it serves every user pool of the region, so
    // allowing it would let injected script send tokens to a pool of an attacker's.
    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ConsoleSecurityHeaders', {
      comment: 'caseflow staff console: CSP without unsafe-inline, HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy({ connect: [hostedUi], formAction: [hostedUi] }), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.viewerRequest = new cloudfront.Function(this, 'ConsoleViewerRequest', {
      comment: 'caseflow: /console/ -> index.html, / -> /console/, no customer intake through the console origin',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(VIEWER_REQUEST_CODE),
    });
    const viewerRequest = [{ function: this.viewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }];

    // Edge caching follows the objects' Cache-Control (set per file group below): nothing without
    // one is cached. The asset version (`?v=`) is part of the key, so a new build is never served
    // from an old entry.
    const staticCache = new cloudfront.CachePolicy(this, 'ConsoleCachePolicy', {
      comment: 'caseflow staff console: the files\' own Cache-Control decides',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(VERSION_PARAMETER),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    // The HTTP API's default endpoint; its $default stage serves the routes at /v1/... as they are.
    const apiOrigin = new origins.HttpOrigin(`${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });

    this.distribution = new cloudfront.Distribution(this, 'ConsoleDistribution', {
      comment: 'caseflow staff console and its API route',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: staticCache,
        responseHeadersPolicy: this.responseHeaders,
        functionAssociations: viewerRequest,
        compress: true,
      },
      additionalBehaviors: {
        // The staff API: never cached; every viewer header but Host reaches it (Authorization,
        // If-Match, If-None-Match, Idempotency-Key), every method, the query string.
        '/v1/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.responseHeaders,
          functionAssociations: viewerRequest,
        },
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'ConsoleCertificate', props.customDomain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    this.acknowledgeDistributionFindings(props);

    this.origin = `https://${props.customDomain?.domainName ?? this.distribution.distributionDomainName}`;
    this.url = `${this.origin}${CONSOLE_PATH}`;
    this.config = {
      apiBase: '/v1',
      auth: {
        kind: 'cognito',
        authority: props.identity.issuer,
        clientId: props.identity.userPoolClient.userPoolClientId,
        domain: hostedUi,
        redirectUri: `${this.origin}${CONSOLE_PATH}callback.html`,
        logoutUri: this.url,
      },
    };

    const build = s3deploy.Source.asset(CONSOLE_SOURCE, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: the local build below either succeeds or throws.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
        local: {
          tryBundle(outputDir: string) {
            buildConsoleSync(outputDir, { minify: true });
            assertVersionedReferences(outputDir);
            return true;
          },
        },
      },
    });
    // The deployment function (CDK's BucketDeployment singleton) gets this role rather than one
    // with the AWS managed basic-execution policy: it writes its own log group only.
    const deploymentLogs = new logs.LogGroup(this, 'ConsoleDeploymentLogGroup', { retention: logs.RetentionDays.ONE_YEAR });
    this.deploymentRole = new iam.Role(this, 'ConsoleDeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'caseflow: copies the staff console build and its config.json into the console bucket',
    });
    deploymentLogs.grantWrite(this.deploymentRole);
    const common = {
      destinationBucket: this.bucket,
      destinationKeyPrefix: CONSOLE_PATH.slice(1),
      logGroup: deploymentLogs,
      role: this.deploymentRole,
      memoryLimit: 256,
      // Each deployment prunes only the files its filters select, so the three never remove each other's.
      prune: true,
    } as const;
    const assets = new s3deploy.BucketDeployment(this, 'ConsoleAssets', {
      ...common,
      sources: [build],
      exclude: [...ENTRY_FILES, ...VERSIONED_FILES],
      cacheControl: [s3deploy.CacheControl.fromString(CACHE_CONTROL.other)],
    });
    const versionedAssets = new s3deploy.BucketDeployment(this, 'ConsoleVersionedAssets', {
      ...common,
      sources: [build],
      exclude: ['*'],
      include: [...VERSIONED_FILES],
      cacheControl: [s3deploy.CacheControl.fromString(CACHE_CONTROL.versioned)],
    });
    // Last, so a new page never names an asset not yet uploaded. config.json is the last source:
    // it replaces any config.json of the build (the local stack's).
    const entry = new s3deploy.BucketDeployment(this, 'ConsoleEntryFiles', {
      ...common,
      sources: [build, s3deploy.Source.jsonData('config.json', this.config)],
      exclude: ['*'],
      include: [...ENTRY_FILES],
      cacheControl: [s3deploy.CacheControl.fromString(CACHE_CONTROL.entry)],
    });
    entry.node.addDependency(assets, versionedAssets);
    this.deployments = { assets, versionedAssets, entry };
  }

  private acknowledgeDistributionFindings(props: StaffConsoleProps): void {
    const distribution = Validations.of(this.distribution);
    distribution.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Staff sign in from wherever the company works (travel, remote work); every request past the static files needs a Cognito token with MFA. docs/deploy.md shows how to add a geo restriction.',
    });
    if (!props.webAclArn) {
      distribution.acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'No AWS WAF web ACL by default (a CLOUDFRONT-scope web ACL lives in us-east-1 and costs a monthly fee): the files are public and static, and the API route is JWT-authorized and throttled. Set caseflow:consoleWebAclArn to attach one (docs/deploy.md).',
      });
    }
    if (!props.customDomain) {
      distribution.acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1 and which cannot be changed. Set caseflow:consoleDomainName and caseflow:consoleCertificateArn to serve the console with TLSv1.2_2021 (docs/deploy.md).',
      });
    }
  }

  /**
   * The deployment function reads the asset archives from the CDK assets bucket and syncs them into
   * the console bucket: the wildcards of its role are CDK's own grants, on those two buckets only.
   * Called by the stack once the console bucket's logical ID is final (the stack allocates IDs);
   * returns the IAM5 findings it acknowledges, for the cdk-nag test.
   */
  public acknowledgeDeploymentFindings(consoleBucketLogicalId: string): string[] {
    const findings = {
      'AwsSolutions-IAM5[Action::s3:GetObject*]': 'reads the asset archives (and, in the console bucket, the files it syncs)',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'reads the buckets\' location and configuration for aws s3 sync',
      'AwsSolutions-IAM5[Action::s3:List*]': 'lists the console bucket to sync and prune it',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'removes files a new build no longer has (prune)',
      'AwsSolutions-IAM5[Action::s3:Abort*]': 'aborts a failed multipart upload',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]': 'reads the asset archives in the CDK bootstrap bucket, named after their content hash',
      [`AwsSolutions-IAM5[Resource::<${consoleBucketLogicalId}.Arn>/*]`]: 'writes every file of the console bucket: the build\'s file names are known only after synthesis',
    };
    const validations = Validations.of(this.deploymentRole);
    for (const [id, what] of Object.entries(findings)) {
      validations.acknowledge({ id, reason: `The console deployment (CDK's BucketDeployment) ${what}; CDK grants it, on these two buckets only.` });
    }
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('caseflow: the console deployment function (CDK\'s BucketDeployment singleton) was not found');
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'CDK\'s BucketDeployment function: aws-cdk-lib chooses and updates its runtime (it runs the AWS CLI from a layer), caseflow does not.',
    });
    return Object.keys(findings);
  }
}

/**
 * The scripts and style sheets a page names (`src=` / `href=`) without a `?v=` version: cached for
 * a year (VERSIONED_FILES), such a reference would keep browsers on an old build after a deploy.
 */
export function unversionedReferences(html: string): string[] {
  const references = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+\.(?:js|css)(?:\?[^"']*)?)["']/gi)].map((m) => m[1] ?? '');
  return references.filter((ref) => !new URL(ref, 'https://console.invalid/console/').searchParams.get(VERSION_PARAMETER));
}

/** Fails the synth when a built page names an asset without its version (see unversionedReferences). */
function assertVersionedReferences(outDir: string): void {
  for (const page of readdirSync(outDir).filter((f) => f.endsWith('.html'))) {
    const bad = unversionedReferences(readFileSync(path.join(outDir, page), 'utf8'));
    if (bad.length > 0) throw new Error(`caseflow: ${page} of the console build names ${bad.join(', ')} without ?${VERSION_PARAMETER}=<content hash>; the bundle is cached for a year`);
  }
}

/**
 * The console's Content-Security-Policy: its own scripts, styles, images and fonts only (no inline
 * script or style, no remote image: customer HTML is never rendered as HTML), fetches to itself and
 * the sign-in endpoints, no framing, no <base>, forms only to itself and the hosted UI.
 */
export function contentSecurityPolicy(allow: { connect: readonly string[]; formAction: readonly string[] }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${allow.connect.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self' ${allow.formAction.join(' ')}`,
  ].join('; ');
}

/**
 * CloudFront Function (cloudfront-js-2.0) on every request:
 * - `/` and `/console` redirect to `/console/`; a path ending in `/` gets its index.html (an S3
 *   origin behind OAC has no index documents);
 * - `POST /v1/cases` (anonymous customer intake) is refused: behind CloudFront the API would see
 *   CloudFront's address as the client's, and the per-client submission limit would stop working.
 *   Customers use the web form, which calls the API's own endpoint.
 */
export const VIEWER_REQUEST_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.startsWith('/v1/')) {
    if (request.method === 'POST' && uri.replace(/\\/+/g, '/').replace(/\\/$/, '') === '/v1/cases') {
      return { statusCode: 403, statusDescription: 'Forbidden', headers: { 'content-type': { value: 'application/json' } },
        body: { encoding: 'text', data: '{"error":"Customer intake is not served through the staff console: post to the API endpoint"}' } };
    }
    return request;
  }
  if (uri === '/' || uri === '/console') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${CONSOLE_PATH}' } } };
  }
  if (uri.endsWith('/')) request.uri = uri + 'index.html';
  return request;
}
`;
