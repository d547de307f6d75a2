/**
 * `npm run bench -- <name> [--flags]`: runs one benchmark. To add one, write bench/<name>.ts
 * exporting `run(argv)` and add one line to BENCHES.
 */
import type { Bench } from './lib/bench';

const BENCHES: Record<string, { describe: string; load: () => Promise<Bench> }> = {
  intake: { describe: 'web-form intake through the local gateway vs bare DynamoDB Local writes; intake Lambda bundle size and load time', load: () => import('./intake') },
  sla: { describe: 'SLA workflow on the local runner: transitions per case, cost, breach detection lateness', load: () => import('./sla') },
  smtp: { describe: 'mail over SMTP into npm start: the 250 rate of the SES inbound stand-in and the SMTP-to-case rate', load: () => import('./smtp') },
  staff: { describe: 'staff queues over N open cases in DynamoDB Local: p50/p99 and read units of each queue’s first page, and of a case with a 200-event timeline', load: () => import('./staff') },
  console: { describe: 'the staff console in Chromium over N open cases: first queue page and a 200-event case view, p50/p99 over fresh loads; JS + CSS gzipped', load: () => import('./console') },
  archive: { describe: 'archiving N closed cases (archiveClosedCase) against DynamoDB Local and s3rver: cases/s vs the intake rate, peak RSS, requests and stored bytes per case, five-year cost per 1,000 cases', load: () => import('./archive') },
  export: { describe: 'compliance export of N cases with their timelines over D days (runExport) against DynamoDB Local and s3rver: records/s vs a bare paginated Query of the by-day index, peak RSS, time per day, bytes written, at two sizes', load: () => import('./export') },
  email: { describe: 'email ingestion through the handler vs the bare mailparser rate; peak RSS; a 25 MB message in a 256 MB process', load: () => import('./email') },
  quality: { describe: 'the quality loop: N resolved cases’ satisfaction surveys answered through the local gateway by C clients (answers/s, p50/p99, every answer in the feedback log)', load: () => import('./quality') },
};

function usage(): string {
  const width = Math.max(...Object.keys(BENCHES).map((n) => n.length));
  const lines = Object.entries(BENCHES).map(([name, b]) => `  ${name.padEnd(width)}  ${b.describe}`);
  return `Usage: npm run bench -- <name> [--flags]   (npm run bench -- <name> --help for its flags)\n\nBenchmarks:\n${lines.join('\n')}`;
}

async function main(): Promise<number> {
  const [name, ...argv] = process.argv.slice(2);
  if (name === '-h' || name === '--help') {
    console.log(usage());
    return 0;
  }
  const entry = name === undefined ? undefined : BENCHES[name];
  if (!entry) {
    console.error(name === undefined ? 'bench: name a benchmark.' : `bench: unknown benchmark '${name}'.`);
    console.error(usage());
    return 2;
  }
  const bench = await entry.load();
  return bench.run(argv);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
