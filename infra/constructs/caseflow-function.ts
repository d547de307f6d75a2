import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, Validations, type Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const HANDLERS_DIR = path.join(REPO_ROOT, 'functions', 'handlers');

/** The runtime every caseflow function uses (tests assert it). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;

/**
 * Function logs hold no personal data (DEVELOPERS.md), so keeping them a year costs little privacy:
 * it covers the annual audit cycle (M6.3 / C6.3) and slow incident reviews. The audit trail of
 * record is the table and the archive (five years, M7.2 / C4.3), not the logs.
 */
export const FUNCTION_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * Every function's Powertools service name: its logs' `service` key, and the `service` dimension
 * Powertools puts on every metric it emits (functions/adapters/observability.ts), which an alarm
 * on a function's own metric must name.
 */
export const POWERTOOLS_SERVICE_NAME = 'caseflow';

export interface CaseflowFunctionProps {
  /** A file name in functions/handlers/ (without `.ts`) that exports `handler`. */
  handler: string;
  description?: string;
  /** Merged over the Powertools defaults. */
  environment?: Record<string, string>;
  /** @default 256 */
  memorySize?: number;
  /** @default 10 seconds (HTTP handlers answer well inside API Gateway's 30 s) */
  timeout?: Duration;
  /** Lambda's /tmp (a function that spools large files there). @default 512 MiB */
  ephemeralStorageSize?: Size;
  /** Powertools metrics namespace. */
  metricsNamespace: string;
  /**
   * Why this function needs other `Resource: *` grants besides X-Ray (e.g. dynamodb:ListStreams),
   * appended to the cdk-nag acknowledgement on its role.
   */
  wildcardResourceJustification?: string;
}

/**
 * A caseflow Lambda function with the project's defaults: Node.js 22 on ARM64, active X-Ray
 * tracing, minified CJS bundle with source maps, the AWS SDK taken from the runtime, JSON logs to
 * an explicit log group with a retention, and its own role that starts with nothing but the right
 * to write its own logs. Data access is added with the helpers in case-data-grants.ts.
 */
export class CaseflowFunction extends Construct {
  public readonly fn: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CaseflowFunctionProps) {
    super(scope, id);
    const entry = path.join(HANDLERS_DIR, `${props.handler}.ts`);
    if (!existsSync(entry)) {
      throw new Error(`caseflow: no handler file ${path.relative(REPO_ROOT, entry)} for function ${id}`);
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: FUNCTION_LOG_RETENTION });

    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `caseflow ${props.handler}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      description: props.description ?? `caseflow ${props.handler}`,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.ephemeralStorageSize ? { ephemeralStorageSize: props.ephemeralStorageSize } : {}),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        ...props.environment,
      },
      bundling: {
        format: nodejs.OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The Node.js 22 runtime ships the AWS SDK v3; everything else is bundled, but playwright-core:
        // the monthly report loads it only where a Chromium exists, which Lambda has not (docs/reports.md).
        externalModules: ['@aws-sdk/*', 'playwright-core'],
        // vega-canvas's Node build probes for the optional `canvas` package with a top-level await,
        // which a CommonJS bundle cannot hold; its browser build is the same without the probe
        // (charts are rendered to SVG: no canvas either way). jest maps it the same way (jest.esm-packages.js).
        esbuildArgs: { '--alias:vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' },
        logLevel: nodejs.LogLevel.WARNING,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray (active tracing) needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.' +
        (props.wildcardResourceJustification ? ` ${props.wildcardResourceJustification}` : ''),
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'caseflow pins nodejs22.x (the Node line it is developed and tested on, engines >=20.11); Lambda supports it until 2027. Move to nodejs24.x with the local toolchain.',
    });
  }
}
