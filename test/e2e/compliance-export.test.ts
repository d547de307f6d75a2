import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../support/eventually';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-exports-'));
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

/** `npm run caseflow -- <args>` against this stack, as an operator runs it. */
function caseflowCli(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'local/cli.ts', ...args, '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('compliance exports on npm start (M5.3, M7.3, C4.3, C6.3)', () => {
  it('exports yesterday when the local clock passes midnight, signed and verified; auditors pull any period by API and command', async () => {
    stack = await startStackProcess(dataDir, ['--fresh']);
    const { endpoints } = stack;
    const token = async (sub: string, groups: string[]) =>
      ((await (await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, groups, name: sub }) })).json()) as { token: string }).token;
    const auditor = await token('abe', ['auditors']);
    const agent = await token('ana', ['agents']);
    const call = async (bearer: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${endpoints.api}${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const clockNow = async () => ((await (await fetch(endpoints.clock)).json()) as { now: string }).now;
    const advanceClock = (seconds: number) => fetch(`${endpoints.clock}/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });

    // Two cases today (on the stack's clock), opened at noon at the earliest: a case opened before
    // 06:00 would have its initial-assistance warning (at 18 of its 24 hours) fall before midnight,
    // inside the clock's jump below, and the case's day would depend on the hour the tests run.
    const opening = await clockNow();
    const noonWait = Math.ceil((Date.parse(`${opening.slice(0, 10)}T12:00:00Z`) - Date.parse(opening)) / 1000);
    if (noonWait > 0) expect((await advanceClock(noonWait)).status).toBe(200);
    const today = (await clockNow()).slice(0, 10);
    for (const name of ['Nora Export', 'Omar Export']) {
      const res = await fetch(`${endpoints.api}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'inquiry', name, email: `${name.split(' ')[0]!.toLowerCase()}.export@example.com`, subject: 'Opening hours', message: 'When do you open?', privacyConsent: true }),
      });
      expect(res.status).toBe(201);
      const { caseId } = (await res.json()) as { caseId: string };
      // Its acknowledgement is recorded asynchronously (the outbox stream): wait for it, or it would land on the new day.
      await eventually(async () => (((await call(agent, 'GET', `/cases/${caseId}`)).body.case as Json | undefined)?.acknowledgedAt ? true : undefined), 20_000, 'the acknowledgement');
    }
    // Today has not ended: no export of it yet.
    expect((await call(auditor, 'POST', '/exports', { from: today, to: today })).status).toBe(409);
    expect((await call(agent, 'POST', '/exports', { from: today, to: today })).status).toBe(403);

    // Past midnight: the daily schedule exports yesterday, signed, on the chain.
    // Just past midnight (before the cases' next deadlines, which would move them to the new day).
    const toMidnight = Math.ceil((Date.parse(`${today}T00:00:00Z`) + 86_400_000 - Date.parse(await clockNow())) / 1000) + 300;
    const advanced = await advanceClock(toMidnight);
    expect(advanced.status).toBe(200);
    const exportId = `${today}_${today}`;
    const sealed = await eventually(async () => {
      const res = await call(auditor, 'GET', `/exports/${exportId}`);
      return res.status === 200 && (res.body.export as Json).status === 'completed' ? res.body : undefined;
    }, 60_000, 'the daily export of yesterday');
    expect(sealed.export).toMatchObject({ exportId, status: 'completed', manifest: { sequence: 1, trigger: 'scheduled', counts: { cases: 2, heads: 2 }, previous: null } });
    const downloads = sealed.downloads as { manifest: { url: string }; files: { path: string; url: string }[] };
    const casesFile = downloads.files.find((f) => f.path.endsWith('/cases-0001.jsonl'));
    const fetched = await fetch(casesFile!.url);
    expect(fetched.status).toBe(200);
    const text = await fetched.text();
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).not.toMatch(/Nora|Omar|export@example\.com/);

    // An auditor's own period (the day before: nothing changed then) through the API, chained after it.
    const dayBefore = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const started = await call(auditor, 'POST', '/exports', { from: dayBefore, to: dayBefore });
    expect(started.status).toBe(202);
    await eventually(async () => {
      const res = await call(auditor, 'GET', `/exports/${dayBefore}_${dayBefore}`);
      return res.status === 200 && (res.body.export as Json).status === 'completed' ? res.body : undefined;
    }, 60_000, 'the on-demand export');

    // The command line: the same export again (one a period), then the whole chain verified.
    const again = caseflowCli('export', '--from', today, '--to', today);
    expect(again).toMatchObject({ status: 0, out: expect.stringContaining(`export ${exportId}: sequence 1 of the chain`) });
    const verified = caseflowCli('verify-exports');
    expect(verified).toMatchObject({ status: 0, out: expect.stringContaining('every export verifies: 2 manifests') });
  });
});
