import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EndpointsFileSchema, type LocalEndpoints } from '../stack';
import { planDemo } from './demo-plan';
import { formatReport, runDemo } from './run-demo';
import { DemoClient } from './demo-client';

const USAGE = `Usage: npm run demo -- [options]

Fills the running local stack (\`npm start\` in another terminal) with demo cases. To start a fresh
stack and fill it in one go: npm start -- --fresh --demo

  --data-dir <dir>   data directory of the running stack (default .caseflow): reads endpoints.json
  --cases <n>        how many cases (default 200)
  --seed <n>         the demo's random seed (default 20250301): the same seed, the same cases
  --force            fill a stack that has cases already
  -h, --help         this text`;

/** Options shared by `npm run demo` and `npm start -- --demo`. */
export interface DemoCommand {
  cases?: number;
  seed?: number;
  force?: boolean;
}

/** Fills the stack at `endpoints` (unless it has cases and `force` is not given); returns the exit code. */
export async function fillWithDemo(endpoints: Pick<LocalEndpoints, 'api' | 'token' | 'smtp' | 'clock' | 'outbox'>, cmd: DemoCommand, log: (line: string) => void): Promise<number> {
  const probe = new DemoClient(endpoints);
  try {
    if (!cmd.force && (await probe.hasCases())) {
      log('demo: the local system has cases already; start a fresh one with `npm start -- --fresh --demo` (or give --force)');
      return 0;
    }
  } finally {
    probe.close();
  }
  const plan = planDemo({ ...(cmd.cases !== undefined ? { cases: cmd.cases } : {}), ...(cmd.seed !== undefined ? { seed: cmd.seed } : {}) });
  log(`demo: ${plan.cases.length} cases in ${plan.waves} waves, ${plan.waveHours} hours of clock apart…`);
  const report = await runDemo(endpoints, plan, { log });
  log(formatReport(report));
  return report.failures.length ? 1 : 0;
}

const count = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number`);
  return n;
};

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string', default: '.caseflow' },
      cases: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = join(values['data-dir'], 'endpoints.json');
  if (!existsSync(file)) {
    console.error(`caseflow: no running local stack (${file} is missing). Start one with \`npm start\` and run this again, or use \`npm start -- --fresh --demo\`.`);
    return 1;
  }
  const endpoints = EndpointsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) as unknown as LocalEndpoints;
  const health = await fetch(endpoints.outbox.replace(/\/outbox$/, '/health')).catch(() => undefined);
  if (!health?.ok) {
    console.error('caseflow: the local stack in endpoints.json does not answer. Start it with `npm start` and run this again.');
    return 1;
  }
  return fillWithDemo(endpoints, { ...optional('cases', count(values.cases, '--cases')), ...optional('seed', count(values.seed, '--seed')), force: values.force }, console.log);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`caseflow: the demo failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
