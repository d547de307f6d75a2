import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { eventually as pollFor } from '../support/eventually';
import { readFixture } from '../support/fixtures';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';

jest.setTimeout(180_000);

const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-e2e-'));
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const portOpen = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });


interface Health {
  status: string;
  standIns: Record<string, { status: string; pid?: number; restarts?: number; pendingIngestions?: number; loopbackOnly?: boolean }>;
}
const health = async (): Promise<Health> => (await (await fetch(stack!.endpoints.outbox.replace('/outbox', '/health'))).json()) as Health;
/** SMTP answers before ingestion runs (as SES does): wait until every accepted message is ingested. */
const ingested = () => pollFor(async () => ((await health()).standIns.smtp?.pendingIngestions === 0 ? true : undefined), 15_000, 'every accepted message ingested');

describe('npm start', () => {
  let reference = '';
  let caseId = '';

  it('brings the whole system up on 127.0.0.1 within a minute', async () => {
    const started = Date.now();
    stack = await startStackProcess(dataDir, ['--fresh']);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(stack.endpoints.web).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(stack.endpoints.web);
    expect(page.status).toBe(200);
    // Customers' data and the stand-ins' credentials: the data directory is its owner's alone.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'stand-in-credentials.json')).mode & 0o777).toBe(0o600);
    expect(await page.text()).toContain('action="/v1/cases"');
  });

  it('takes a form submission, shows the reference and sends the acknowledgement within 5 s (M3.1)', async () => {
    const { endpoints } = stack!;
    const res = await fetch(`${endpoints.api}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: readFixture('web-form', 'form-post.txt').replace('ada%40example.com', 'e2e%40example.com'),
    });
    expect(res.status).toBe(201);
    reference = /data-testid="reference">(CS-[0-9A-Z]{6})</.exec(await res.text())?.[1] ?? '';
    expect(reference).not.toBe('');

    const submittedAt = Date.now();
    const mail = await pollFor(async () => {
      const outbox = (await (await fetch(endpoints.outbox)).json()) as { emails: { subject: string; destination: { to: string[] } }[] };
      return outbox.emails.find((m) => m.subject.includes(reference));
    }, 5000, 'the acknowledgement email');
    expect(mail.destination.to).toEqual(['e2e@example.com']);
    expect(Date.now() - submittedAt).toBeLessThan(5000);
  });

  it('lets staff with a local token find the case, and nobody without one', async () => {
    const { endpoints } = stack!;
    expect((await fetch(`${endpoints.api}/cases`)).status).toBe(401);
    const minted = (await (await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'alice', groups: ['agents'] }) })).json()) as { token: string };
    const list = (await (await fetch(`${endpoints.api}/cases`, { headers: { authorization: `Bearer ${minted.token}` } })).json()) as {
      items: { caseId: string; reference: string; status: string }[];
    };
    const found = list.items.find((i) => i.reference === reference);
    expect(found?.status).toBe('acknowledged');
    caseId = found?.caseId ?? '';
  });

  it('answers 405 for a wrong method on a known path', async () => {
    const res = await fetch(`${stack!.endpoints.api}/cases`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, GET');
  });

  it('stops every process on SIGTERM and keeps the data for the next start', async () => {
    const { dynamodb, s3, ses } = stack!.endpoints;
    expect(await stack!.stop()).toBe(0);
    for (const url of [dynamodb, s3, ses]) expect(await portOpen(url)).toBe(false);

    stack = await startStackProcess(dataDir);
    const minted = (await (await fetch(stack.endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'bob', groups: ['supervisors'] }) })).json()) as { token: string };
    const res = await fetch(`${stack.endpoints.api}/cases/${caseId}`, { headers: { authorization: `Bearer ${minted.token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { case: { reference: string }; integrity: { valid: boolean } };
    expect(body.case.reference).toBe(reference);
    expect(body.integrity.valid).toBe(true);
  });

  it('enforces the SLA windows when the clock is moved: warning, breach, escalation to two levels (M3.1, M3.2, M3.3)', async () => {
    const { endpoints } = stack!;
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const open = async (type: string, email: string) =>
      (await (await post(`${endpoints.api}/cases`, { type, name: 'E2E', email, subject: `${type} nobody answers`, message: 'Hello?', privacyConsent: true })).json()) as { caseId: string; reference: string };
    const inquiry = await open('inquiry', 'sla-inquiry@example.com');
    const complaint = await open('complaint', 'sla-complaint@example.com');
    const mailFor = (reference: string, to: string, subject: string) =>
      pollFor(async () => {
        const outbox = (await (await fetch(endpoints.outbox)).json()) as { emails: { subject: string; destination: { to: string[] } }[] };
        return outbox.emails.find((m) => m.subject.includes(reference) && m.subject.includes(subject) && m.destination.to.includes(to));
      }, 10_000, `${subject} for ${reference}`);
    await mailFor(inquiry.reference, 'sla-inquiry@example.com', 'We received');

    expect((await post(`${endpoints.clock}/advance`, { fortnights: 1 })).status).toBe(400);
    expect((await post(`${endpoints.clock}/advance`, { minutes: 1080 })).status).toBe(200);
    await mailFor(inquiry.reference, endpoints.resources.teamInbox, 'SLA warning: initial assistance');

    await post(`${endpoints.clock}/advance`, { hours: 6, minutes: 1 });
    await mailFor(inquiry.reference, endpoints.resources.supervisor, 'SLA breached: initial assistance');
    await mailFor(complaint.reference, endpoints.resources.supervisor, 'Escalated to you (level 1)');
    const minted = (await (await post(endpoints.token, { sub: 'carol', groups: ['supervisors'] })).json()) as { token: string };
    const read = async (caseId: string) =>
      (await (await fetch(`${endpoints.api}/cases/${caseId}`, { headers: { authorization: `Bearer ${minted.token}` } })).json()) as {
        case: { slaBreached?: boolean; escalation?: { level: number } };
        timeline: { type: string; data: Record<string, unknown> }[];
      };
    const breached = await read(inquiry.caseId);
    expect(breached.case.slaBreached).toBe(true);
    expect(breached.timeline.filter((e) => e.type === 'sla_breached').map((e) => e.data.milestone)).toEqual(['initial_response']);

    await post(`${endpoints.clock}/advance`, { hours: 24 });
    await mailFor(complaint.reference, endpoints.resources.manager, 'Escalated to you (level 2)');
    expect((await read(complaint.caseId)).case.escalation?.level).toBe(2);
  });

  it('anchors the audit-chain heads of each finished day when the local clock passes midnight UTC, and on demand (M7.3)', async () => {
    const { endpoints } = stack!;
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const opened = (await (
      await post(`${endpoints.api}/cases`, { type: 'inquiry', name: 'E2E', email: 'anchored@example.com', subject: 'Anchored', message: 'Hello', privacyConsent: true })
    ).json()) as { caseId: string };
    const minted = (await (await post(endpoints.token, { sub: 'dave', groups: ['auditors'] })).json()) as { token: string };
    // The acknowledgement is recorded asynchronously (the outbox stream): the case's last change of
    // the day is that record, so it must be written before the clock is moved past midnight.
    await pollFor(async () => {
      const res = await fetch(`${endpoints.api}/cases/${opened.caseId}`, { headers: { authorization: `Bearer ${minted.token}` } });
      const body = (await res.json()) as { timeline?: { type: string }[] };
      return body.timeline?.some((e) => e.type === 'acknowledgement_sent') ? true : undefined;
    }, 10_000, 'the acknowledgement recorded');
    // A day later: the run at midnight anchored the day the case was opened, so on demand there is nothing left to do.
    expect((await post(`${endpoints.clock}/advance`, { hours: 24 })).status).toBe(200);
    const onDemand = await post(endpoints.outbox.replace('/outbox', '/jobs/audit-anchor'), {});
    expect(onDemand.status).toBe(200);
    expect(await onDemand.json()).toMatchObject({ anchored: [], remaining: 0 });
    const verified = await post(`${endpoints.api}/cases/${opened.caseId}/audit/verify`, {}, { authorization: `Bearer ${minted.token}` });
    expect(verified.status).toBe(200);
    const verdict = (await verified.json()) as { valid: boolean; anchorsChecked: number };
    expect(verdict.valid).toBe(true);
    expect(verdict.anchorsChecked).toBeGreaterThanOrEqual(1);
  });

  it('opens a case from mail sent over SMTP, acknowledges it, and threads the reply onto the same case (C4.1, M3.1)', async () => {
    const { endpoints } = stack!;
    const smtp = new URL(endpoints.smtp);
    const transport = createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    const sent = await transport.sendMail({
      from: 'Mail Customer <mail.customer@example.com>',
      to: endpoints.resources.senderEmail,
      subject: 'My parcel arrived broken',
      text: 'The box was crushed and the vase inside is broken.',
    });
    expect(sent.response).toMatch(/^250 Ok: queued as [0-9a-z]{40}$/);
    const ack = await pollFor(async () => {
      const outbox = (await (await fetch(endpoints.outbox)).json()) as { emails: { subject: string; destination: { to: string[] } }[] };
      return outbox.emails.find((m) => m.destination.to.includes('mail.customer@example.com'));
    }, 10_000, 'the acknowledgement of the mailed case');
    const reference = /\[(CS-[0-9A-Z]{6})\]/.exec(ack.subject)?.[1] ?? '';
    expect(reference).not.toBe('');

    // The customer replies, quoting the reference: the reply lands on the same case.
    await transport.sendMail({
      from: 'mail.customer@example.com',
      to: endpoints.resources.senderEmail,
      subject: `Re: ${ack.subject}`,
      inReplyTo: sent.messageId,
      text: 'Here is a photo of the box.',
    });
    const minted = (await (await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'dave', groups: ['agents'] }) })).json()) as { token: string };
    const list = (await (await fetch(`${endpoints.api}/cases?limit=100`, { headers: { authorization: `Bearer ${minted.token}` } })).json()) as { items: { caseId: string; reference: string; channel: string }[] };
    const mailed = list.items.filter((i) => i.reference === reference);
    expect(mailed).toHaveLength(1);
    expect(mailed[0]?.channel).toBe('email');
    const detail = await pollFor(async () => {
      const body = (await (await fetch(`${endpoints.api}/cases/${mailed[0]?.caseId}`, { headers: { authorization: `Bearer ${minted.token}` } })).json()) as { timeline: { type: string }[] };
      return body.timeline.some((e) => e.type === 'customer_replied') ? body : undefined;
    }, 10_000, 'the reply on the case');
    expect(detail.timeline.filter((e) => e.type === 'customer_replied')).toHaveLength(1);
    transport.close();
  });

  it('keeps one case per thread over SMTP: replies by In-Reply-To and reply-all thread on, an out-of-office and a bounce open nothing and get no answer, a redelivery changes nothing (C4.1, M7.1)', async () => {
    const { endpoints } = stack!;
    const smtp = new URL(endpoints.smtp);
    const transport = createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    const support = endpoints.resources.senderEmail;
    const tag = Date.now().toString(36);
    const customer = `thread.${tag}@example.org`;
    const subject = `Lamp ${tag} arrived without its shade`;
    const inquiryId = `<inquiry.${tag}@mail.example.org>`;
    const token = ((await (await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'erin', groups: ['agents'] }) })).json()) as { token: string }).token;
    const api = async <T>(path: string) => (await (await fetch(`${endpoints.api}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    const mailTo = async (address: string) =>
      ((await (await fetch(`${endpoints.outbox}?to=${encodeURIComponent(address)}`)).json()) as { emails: { messageId: string; subject: string }[] }).emails;
    /** A committed fixture as raw bytes, with this test's addresses and ids. */
    const fixture = (name: string, ackId: string) =>
      readFixture('email', `${name}.eml`)
        .replaceAll('0100018e0c2a1b2c-3d4e5f60-7a8b-4c9d-8e0f-1a2b3c4d5e6f-000000', ackId)
        .replaceAll('ada@example.net', customer)
        .replaceAll('nobody@example.net', customer)
        .replaceAll('support@example.com', support)
        .replace(/<([^<>@\s]+)@(mail\.example\.net|mx\.example\.net)>/g, `<$1.${tag}@$2>`);

    const inquiry = { from: customer, to: support, subject, messageId: inquiryId, text: 'The lamp came without its shade.' };
    await transport.sendMail(inquiry);
    const [ack] = await pollFor(async () => {
      const mails = await mailTo(customer);
      return mails.length > 0 ? mails : undefined;
    }, 10_000, 'the acknowledgement');
    const reference = /\[(CS-[0-9A-Z]{6})\]/.exec(ack?.subject ?? '')?.[1] ?? '';
    const ackMessageId = `<${ack?.messageId ?? ''}@email.amazonses.com>`;

    // A reply by In-Reply-To alone (its subject has no reference), then a reply-all with support in Cc.
    await transport.sendMail({ from: customer, to: support, subject: 'Re: your message', inReplyTo: ackMessageId, references: [ackMessageId], text: 'Any news?' });
    await transport.sendMail({ from: customer, to: `partner.${tag}@example.org`, cc: support, subject: `Re: ${subject}`, inReplyTo: inquiryId, references: [inquiryId], text: 'Adding my partner.' });
    // An out-of-office answer and a bounce of the acknowledgement, then the first message once more.
    await transport.sendMail({ envelope: { from: customer, to: [support] }, raw: fixture('vacation-auto-reply', ack?.messageId ?? '') });
    await transport.sendMail({ envelope: { from: '', to: [support] }, raw: fixture('dsn-bounce', ack?.messageId ?? '') });
    await transport.sendMail(inquiry);
    await ingested();

    const cases = await api<{ items: { caseId: string; reference: string; subject: string }[] }>('/cases?limit=100');
    const ours = cases.items.filter((c) => c.subject.includes(tag));
    expect(ours.map((c) => c.reference)).toEqual([reference]);
    const detail = await pollFor(async () => {
      const body = await api<{ timeline: { type: string; data: Record<string, unknown> }[] }>(`/cases/${ours[0]?.caseId}`);
      return body.timeline.some((e) => e.type === 'delivery_failed') && body.timeline.filter((e) => e.type === 'customer_replied').length >= 2 ? body : undefined;
    }, 15_000, 'both replies and the bounce on the case');
    expect(detail.timeline.filter((e) => e.type === 'customer_replied').map((e) => e.data.matchedBy)).toEqual(['In-Reply-To', 'In-Reply-To']);
    expect(detail.timeline.filter((e) => e.type === 'case_received')).toHaveLength(1);
    // No answer went to the out-of-office, the mailer daemon, or the redelivered message.
    expect((await mailTo(customer)).map((m) => m.subject)).toEqual([ack?.subject]);
    expect(await mailTo('mailer-daemon')).toEqual([]);
    transport.close();
  });

  it('restarts a stand-in that dies, reports each stand-in at /local/health, and keeps taking mail', async () => {
    const { endpoints } = stack!;
    const before = await health();
    expect(before).toMatchObject({ status: 'ok', standIns: { dynamodb: { status: 'up' }, s3: { status: 'up', restarts: 0 }, ses: { status: 'up' }, smtp: { status: 'up' } } });
    process.kill(before.standIns.s3?.pid ?? 0, 'SIGKILL');
    process.kill(before.standIns.dynamodb?.pid ?? 0, 'SIGKILL');
    const after = await pollFor(async () => {
      const h = await health();
      return h.standIns.s3?.status === 'up' && h.standIns.s3.restarts === 1 && h.standIns.dynamodb?.status === 'up' && h.standIns.dynamodb.restarts === 1 ? h : undefined;
    }, 60_000, 's3rver and DynamoDB Local restarted');
    expect(after.standIns.s3?.pid).not.toBe(before.standIns.s3?.pid);
    expect(after.standIns.dynamodb?.pid).not.toBe(before.standIns.dynamodb?.pid);
    // As the README sends mail: the CLI finds the SMTP port in endpoints.json.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'local/cli.ts', 'send-mail', '--data-dir', dataDir, '--from', 'after.restart@example.com', '--subject', 'Still there?', '--text', 'Mail after the restart.'], { encoding: 'utf8', cwd: join(__dirname, '..', '..') });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^250 Ok: queued as /);
    await pollFor(async () => {
      const outbox = (await (await fetch(`${endpoints.outbox}?to=after.restart@example.com`)).json()) as { emails: unknown[] };
      return outbox.emails.length === 1 ? true : undefined;
    }, 15_000, 'the acknowledgement of mail sent after the restart');
  });
});

describe('a complaint from intake to a verified audit trail, with the API alone (M3.2, M3.3, M9.2, M7.2, M7.3)', () => {
  type Json = Record<string, unknown>;
  const tokens: Record<string, string> = {};
  const call = async (role: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const { endpoints } = stack!;
    const res = await fetch(`${endpoints.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[role] ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as Json };
  };
  const mint = async (role: string, sub: string, groups: string[], name: string) => {
    const res = await fetch(stack!.endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, groups, name, email: `${sub}@staff.example` }) });
    tokens[role] = ((await res.json()) as { token: string }).token;
  };

  it('runs an agent, a supervisor and an auditor through intake, escalation, actions taken, a checklisted resolution, automatic closure and verification', async () => {
    const { endpoints } = stack!;
    await mint('agent', 'ana', ['agents'], 'Ana Lopes');
    await mint('supervisor', 'sam', ['supervisors'], 'Sam Okafor');
    await mint('auditor', 'abe', ['auditors'], 'Abe Meyer');

    // A customer complains through the web form.
    const opened = await fetch(`${endpoints.api}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'complaint', name: 'Rosa Diaz', email: 'rosa.story@example.com', subject: 'Charged twice for order 1182', message: 'I was charged twice and want my money back.', privacyConsent: true }),
    });
    expect(opened.status).toBe(201);
    const { caseId, reference } = (await opened.json()) as { caseId: string; reference: string };

    // The agent finds it in the unassigned queue, takes it, answers, and calls the customer.
    const unassigned = await call('agent', 'GET', '/cases?queue=unassigned&limit=100');
    expect((unassigned.body.items as { caseId: string }[]).map((i) => i.caseId)).toContain(caseId);
    expect((await call('agent', 'POST', `/cases/${caseId}/claim`)).status).toBe(200);
    expect((await call('agent', 'GET', '/cases?queue=mine')).body.items).toEqual([expect.objectContaining({ caseId, reference })]);
    expect((await call('agent', 'POST', `/cases/${caseId}/replies`, { message: 'Sorry about this, Rosa. I am looking into the double charge now.' })).status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${caseId}/calls`, { direction: 'outbound', durationSeconds: 300, transcript: 'Ana: I can see both charges.\nRosa: I need the money back before Friday.' })).status).toBe(200);
    expect((await call('agent', 'PATCH', `/cases/${caseId}/checklist`, { complaintHeard: true, empathyShown: true })).status).toBe(200);

    // A refund of a captured payment needs a supervisor: the agent escalates (M3.3).
    const escalated = await call('agent', 'POST', `/cases/${caseId}/escalations`, { reason: 'Refund of a captured payment needs supervisor approval' });
    expect(escalated.status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${caseId}/escalation/accept`, {})).status).toBe(403);

    // The supervisor sees it escalated to them, accepts it, records what was done, resolves the escalation.
    expect(((await call('supervisor', 'GET', '/cases?queue=escalated')).body.items as { caseId: string }[]).map((i) => i.caseId)).toContain(caseId);
    expect((await call('supervisor', 'POST', `/cases/${caseId}/escalation/accept`, { note: 'Checking with the payment provider' })).status).toBe(200);
    expect((await call('supervisor', 'POST', `/cases/${caseId}/escalation/actions`, { action: 'Approved the refund of the second charge' })).status).toBe(200);
    expect((await call('supervisor', 'POST', `/cases/${caseId}/escalation/resolve`, { outcome: 'Refund approved; back to Ana to close with the customer' })).status).toBe(200);
    const log = await call('auditor', 'GET', `/cases/${caseId}/escalations`);
    expect(log.body.items).toEqual([
      expect.objectContaining({ escalationId: 'ESC-01', acceptedBy: 'sam', ending: 'resolved', outcome: 'Refund approved; back to Ana to close with the customer', actionsTaken: expect.arrayContaining([expect.objectContaining({ by: 'sam', action: 'Approved the refund of the second charge' })]) }),
    ]);

    // The agent cannot resolve before the complaint checklist is complete (M9.2); then resolves it.
    const refused = await call('agent', 'POST', `/cases/${caseId}/resolve`, { summary: 'Refunded the second charge' });
    expect(refused.status).toBe(409);
    expect(refused.body.missing).toEqual(['solutionOffered', 'correctiveAction', 'followUp']);
    const resolved = await call('agent', 'POST', `/cases/${caseId}/resolve`, {
      summary: 'Refunded the second charge; the customer confirmed by phone',
      checklist: { solutionOffered: 'Refund of the second charge', correctiveAction: 'Payment retries now check for an earlier capture', followUp: { date: '2026-12-14', plan: 'Check the refund reached the card' } },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.case).toMatchObject({ status: 'resolved', autoCloseAt: expect.any(String) });

    // Seven days without word from the customer: the case closes by itself, and retention starts (M7.2).
    const advanced = await fetch(`${endpoints.clock}/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days: 7, minutes: 5 }) });
    expect(advanced.status).toBe(200);
    // Closed, the case is archived at once (the stream's case-archiver), its archive recorded on it.
    const closed = await pollFor(async () => {
      const c = (await call('auditor', 'GET', `/cases/${caseId}`)).body.case as { status: string; reference: string; expiresAt?: number; archive?: { sha256: string } };
      return c.status === 'closed' && c.archive ? c : undefined;
    }, 30_000, 'the automatic closure and its archive');
    expect(closed.expiresAt).toEqual(expect.any(Number));

    // The auditor reads the trail (who, role, what changed) and verifies it against the anchors; they change nothing.
    const trail = await call('auditor', 'GET', `/cases/${caseId}/audit`);
    const events = trail.body.events as { type: string; actor: { kind: string; id?: string }; changes?: Json }[];
    expect(events.find((e) => e.type === 'assignment_changed')).toMatchObject({ actor: { kind: 'agent', id: 'ana' }, changes: { assignee: { after: expect.objectContaining({ id: 'ana' }) } } });
    expect(events.find((e) => e.type === 'escalation_resolved')).toMatchObject({ actor: { kind: 'supervisor', id: 'sam' } });
    expect(events.at(-2)).toMatchObject({ type: 'status_changed', actor: { kind: 'system' }, changes: { status: { before: 'resolved', after: 'closed' } } });
    expect(events.at(-1)).toMatchObject({ type: 'case_archived', actor: { kind: 'system' }, data: { sha256: closed.archive?.sha256 } });
    const verified = await call('auditor', 'POST', `/cases/${caseId}/audit/verify`);
    expect(verified.body).toMatchObject({ valid: true, length: events.length, anchorsChecked: expect.any(Number) });
    expect(verified.body.anchorsChecked as number).toBeGreaterThan(0);
    // The archive, read back and verified (M7.2): every event up to the closure.
    const archived = await call('auditor', 'GET', `/archive/${closed.reference}`);
    expect(archived.body).toMatchObject({ verified: true, problems: [] });
    expect((archived.body.archive as { timeline: unknown[] }).timeline).toHaveLength(events.length - 1);
    expect((await call('auditor', 'POST', `/cases/${caseId}/notes`, { text: 'auditors change nothing' })).status).toBe(403);
  });

  it('resumes its clock where it stood after a restart, so cases moved forward are not in the future', async () => {
    const clockNow = async () => Date.parse(((await (await fetch(stack!.endpoints.clock)).json()) as { now: string }).now);
    const before = await clockNow();
    expect(before - Date.now()).toBeGreaterThan(24 * 3600_000); // moved on by the tests above
    expect(await stack!.stop()).toBe(0);
    stack = await startStackProcess(dataDir);
    expect(await clockNow()).toBeGreaterThanOrEqual(before);
  });
});
