/**
 * Mail over SMTP into the whole local stack, as `npm start` runs it: messages from distinct senders
 * are sent to the SMTP stand-in for SES inbound by `--concurrency` clients at once. Measured: how
 * fast the listener answers 250 (it stores the message and queues the ingestion, as SES stores and
 * answers before Lambda runs), and how fast mail becomes cases end to end (the last case written,
 * the ingestion queue empty). Every case is counted through the staff API.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createTransport, type Transporter } from 'nodemailer';
import { closedLoop } from './lib/closed-loop';
import { withLocalStack } from './lib/local-stack-process';
import { describeMachine, machineFacts } from './lib/machine';
import { printTargets, writeResults } from './lib/report';
import { round } from './lib/stats';

const HELP = `Usage: npm run bench -- smtp [options]

  --messages <n>      messages to send and ingest (default 1000), each from its own sender
  --concurrency <n>   SMTP clients sending at once (default 8)
  --warmup <n>        messages sent and ingested first, not counted (default 100)
  -h, --help          this text

Exits 0 (no targets; the figures go to docs/benchmarks.md). Results: .bench/smtp.json`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { messages: { type: 'string' }, concurrency: { type: 'string' }, warmup: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const total = Number(values.messages ?? 1000);
  const concurrency = Number(values.concurrency ?? 8);
  const warmup = Number(values.warmup ?? 100);
  const machine = machineFacts();
  console.log(`smtp bench: ${total} messages, ${concurrency} SMTP clients, on ${describeMachine(machine)}`);

  return withLocalStack(async (stack, signal) => {
    const { endpoints } = stack;
    const smtp = new URL(endpoints.smtp);
    const health = `${endpoints.web}local/health`;
    const transports: Transporter[] = Array.from({ length: concurrency }, () =>
      createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true, pool: true, maxConnections: 1 }),
    );
    const runId = Date.now().toString(36);
    const send = (i: number) =>
      transports[i % concurrency]!.sendMail({
        from: `bench.${runId}.${i}@example.com`,
        to: endpoints.resources.senderEmail,
        subject: `Bench ${runId} message ${i}`,
        messageId: `<bench.${runId}.${i}@mail.example.net>`,
        text: `Message ${i} of the SMTP benchmark: my order has not arrived.`,
      }).then(() => undefined);
    const drained = async () => {
      for (;;) {
        signal.throwIfAborted();
        const body = (await (await fetch(health)).json()) as { standIns: { smtp?: { pendingIngestions?: number } } };
        if (body.standIns.smtp?.pendingIngestions === 0) return performance.now();
        await sleep(20);
      }
    };
    try {
      if (warmup > 0) {
        await closedLoop(warmup, concurrency, (i) => send(1_000_000 + i), signal);
        await drained();
      }
      const started = performance.now();
      const accepted = await closedLoop(total, concurrency, (i) => send(i), signal);
      const allCases = await drained();
      const endToEndS = (allCases - started) / 1000;

      const token = ((await (await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'bench', groups: ['supervisors'] }) })).json()) as { token: string }).token;
      let cursor: string | undefined;
      let cases = 0;
      do {
        const page = (await (await fetch(`${endpoints.api}/cases?status=new,acknowledged&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
          items: { subject: string }[];
          nextCursor?: string;
        };
        cases += page.items.filter((c) => c.subject.startsWith(`Bench ${runId} message `) && !/ message 1\d{6}$/.test(c.subject)).length;
        cursor = page.nextCursor;
      } while (cursor);

      console.log(`SMTP 250s: ${accepted.perSecond} messages/s, p50 ${accepted.latencyMs.p50} ms, p99 ${accepted.latencyMs.p99} ms, ${accepted.errors} errors`);
      console.log(`SMTP to case: ${total} messages in ${round(endToEndS)} s = ${round(total / endToEndS)} messages/s; ${cases} cases found`);
      const rows = [
        { measure: 'SMTP accept rate (250 answered)', result: `${accepted.perSecond} msg/s`, target: '-', pass: null },
        { measure: 'SMTP accept latency p50 / p99', result: `${accepted.latencyMs.p50} / ${accepted.latencyMs.p99} ms`, target: '-', pass: null },
        { measure: 'SMTP to case, end to end', result: `${round(total / endToEndS)} msg/s`, target: '-', pass: null },
        { measure: 'cases opened / messages sent', result: `${cases} / ${total}`, target: 'all', pass: cases === total && accepted.errors === 0 },
      ];
      printTargets('SMTP into the local stack', rows);
      writeResults('smtp', { machine, total, concurrency, warmup, accepted, endToEndSeconds: round(endToEndS), endToEndPerSecond: round(total / endToEndS), cases });
      return cases === total && accepted.errors === 0 ? 0 : 1;
    } finally {
      for (const t of transports) t.close();
    }
  });
}
