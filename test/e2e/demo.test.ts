import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAFF_ROLES } from '../../functions/core/roles';
import { eventually } from '../support/eventually';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';

jest.setTimeout(180_000);

const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-demo-'));
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
interface Summary {
  caseId: string;
  type: string;
  channel: string;
  status: string;
  slaBreached?: boolean;
  escalation?: { level: number };
}

describe('npm start -- --demo', () => {
  let token = '';
  const get = async (path: string): Promise<Json> => (await (await fetch(`${stack!.endpoints.api}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Json;

  it('lists staff of every role to sign in as, and signs one in through the local issuer', async () => {
    stack = await startStackProcess(dataDir, ['--fresh', '--demo', '--demo-cases', '20']);
    const staff = (await (await fetch(stack.endpoints.outbox.replace('/outbox', '/staff'))).json()) as { id: string; name: string; email: string; roles: string[] }[];
    for (const role of STAFF_ROLES) expect({ role, staff: staff.some((m) => m.roles.includes(role)) }).toEqual({ role, staff: true });
    const auditor = staff.find((m) => m.roles.includes('auditors'));
    const minted = await fetch(stack.endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: auditor?.id, groups: auditor?.roles, name: auditor?.name, email: auditor?.email }),
    });
    const body = (await minted.json()) as { token: string; expiresIn: number };
    expect(body.expiresIn).toBeGreaterThan(0);
    token = body.token;
    // The directory the API reads has them too (assignment shows their names).
    const agents = (await get('/staff?role=agents')) as { items: { name: string }[] };
    expect(agents.items.map((m) => m.name)).toEqual(expect.arrayContaining(['Ada Agent', 'Ben Agent']));
  });

  it('fills the fresh system with cases of every state and both types, from the web form, email and phone, some breached and escalated', async () => {
    // The demo runs once the stack is up and prints its report.
    const report = await eventually(async () => /demo: (\d+) cases in ([\d.]+) s/.exec(stack!.output()) ?? undefined, 120_000, 'the demo report');
    expect(stack!.output()).not.toContain('requests failed');
    expect(Number(report[1])).toBe(20);

    const cases: Summary[] = [];
    for (const status of ['new', 'acknowledged', 'in_progress', 'pending_customer', 'resolved', 'closed']) {
      cases.push(...((await get(`/cases?queue=all&status=${status}&limit=100`)).items as Summary[]));
    }
    expect(cases).toHaveLength(20);
    expect(new Set(cases.map((c) => c.status))).toEqual(new Set(['new', 'acknowledged', 'in_progress', 'pending_customer', 'resolved', 'closed']));
    for (const type of ['inquiry', 'complaint']) expect({ type, channels: new Set(cases.filter((c) => c.type === type).map((c) => c.channel)) }).toEqual({ type, channels: new Set(['web', 'email', 'phone']) });
    expect(cases.filter((c) => c.slaBreached).length).toBeGreaterThanOrEqual(2);
    // Escalated by an agent, and by the SLA workflow: a complaint nobody touched for a day (M3.2).
    const escalated = cases.filter((c) => c.escalation);
    expect(escalated.length).toBeGreaterThanOrEqual(3);
    const triggers = await Promise.all(escalated.map(async (c) => ((await get(`/cases/${c.caseId}/escalations`)).items as { trigger?: string }[]).map((e) => e.trigger)));
    expect(new Set(triggers.flat())).toEqual(new Set(['manual', 'automatic']));
  });

  it('has emailed cases with files an agent can download, replies, notes, calls and a reopened case on their timelines', async () => {
    const open = ((await get('/cases?queue=all&status=open&limit=100')).items as Summary[]).concat((await get('/cases?queue=all&status=closed&limit=100')).items as Summary[]);
    const timelines = await Promise.all(open.map(async (c) => ({ c, timeline: (await get(`/cases/${c.caseId}`)).timeline as { type: string; data: Json }[] })));
    const types = new Set(timelines.flatMap((t) => t.timeline.map((e) => e.type)));
    for (const t of ['agent_replied', 'note_added', 'call_logged', 'assignment_changed', 'escalated', 'escalation_acknowledged', 'escalation_action_recorded']) expect({ t, seen: types.has(t) }).toEqual({ t, seen: true });
    // An agent acknowledged by hand the case whose sender could not be verified (M3.1).
    expect(timelines.some((t) => t.timeline.some((e) => e.type === 'status_changed' && e.data.to === 'acknowledged'))).toBe(true);
    const reopened = timelines.filter((t) => t.timeline.some((e) => e.type === 'status_changed' && e.data.from === 'resolved' && e.data.to === 'in_progress'));
    expect(reopened.length).toBeGreaterThanOrEqual(1);
    const withFile = timelines.find((t) => t.timeline.some((e) => e.type === 'case_received' && ((e.data.email as { attachments?: unknown[] } | undefined)?.attachments?.length ?? 0) > 0));
    expect(withFile).toBeDefined();
    const file = ((withFile?.timeline[0]?.data.email as { attachments: { sha256: string; filename: string }[] }).attachments)[0];
    const agent = (await (await fetch(stack!.endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'ada-agent', groups: ['agents'] }) })).json()) as { token: string };
    const link = (await (await fetch(`${stack!.endpoints.api}/cases/${withFile?.c.caseId}/attachments/${file?.sha256}`, { headers: { authorization: `Bearer ${agent.token}` } })).json()) as { url: string; filename: string };
    expect(link.filename).toBe(file?.filename);
    const bytes = Buffer.from(await (await fetch(link.url)).arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
