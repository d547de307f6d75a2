import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { eventually } from '../support/eventually';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';

jest.setTimeout(240_000);

const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-no-pii-logs-'));
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

// One customer with distinctive details, so that any of them in a log line is found and nothing else is.
const customer = { name: 'Zelda Quartermaine', email: 'zelda.quartermaine@example.com', phone: '+44 20 7946 0999' };
const text = {
  webSubject: 'Parcel 4471 never reached Juniper Lane',
  webMessage: 'My parcel 4471 never arrived at Juniper Lane',
  mailSubject: 'Bramblewick teapot arrived chipped',
  mailBody: 'The Bramblewick teapot came in mauve instead of teal, see the photo notes attached.',
  attachmentName: 'ostrava-receipt.txt',
  attachmentBody: 'Receipt signed at the Ostrava stamp office by Zelda Quartermaine, +44 20 7946 0999',
  customerReply: 'The lid is cracked along the Vexley seam as well.',
  agentReply: 'Hello Zelda, we are tracing parcel 4471 with the Halvorsen depot now.',
  transcript: 'Ana: Am I speaking with Zelda Quartermaine on +44 20 7946 0999?\nZelda: Yes. The courier says he left it by the Oakhurst bins.',
  note: 'Customer sounded upset; the Fenwright courier has a history on Juniper Lane.',
};

/** What must never appear in a log line: each needle with how it is looked for. */
const needles: { label: string; value: string; normalise?: (line: string) => string }[] = [
  { label: 'name', value: customer.name },
  { label: 'first name', value: 'Zelda' },
  { label: 'last name', value: 'Quartermaine' },
  { label: 'email', value: customer.email },
  { label: 'email local part', value: 'zelda.quartermaine' },
  // The phone's digits however they are spaced or punctuated (national number without its trunk prefix).
  { label: 'phone', value: '2079460999', normalise: (line) => line.replace(/[\s().+-]/g, '') },
  { label: 'web message', value: 'Juniper Lane' },
  { label: 'web message', value: 'parcel 4471' },
  { label: 'email subject', value: 'Bramblewick' },
  { label: 'email body', value: 'mauve instead of teal' },
  { label: 'attachment name or content', value: 'Ostrava' },
  { label: 'customer reply', value: 'Vexley seam' },
  { label: 'agent reply', value: 'Halvorsen depot' },
  { label: 'call transcript', value: 'Oakhurst bins' },
  { label: 'note', value: 'Fenwright courier' },
];

/** The line with the needle partly masked, so a failure names the leak without repeating it whole. */
const masked = (line: string, needle: string) => {
  const at = line.toLowerCase().indexOf(needle.toLowerCase());
  const shown = at < 0 ? line : `${line.slice(0, at)}${needle.slice(0, 2)}${'*'.repeat(Math.max(0, needle.length - 2))}${line.slice(at + needle.length)}`;
  return shown.length > 400 ? `${shown.slice(0, 400)}…` : shown;
};

describe('npm start, logging at its most verbose level (M5.1, C6.1)', () => {
  it('logs no name, email address, phone number or message text of the customer in any handler through intake, replies, a call, escalation, closure, archival, expiry, legal holds, access and erasure requests (M5.1, C6.1)', async () => {
    stack = await startStackProcess(dataDir, ['--fresh', '--retention-seconds', '4', '--log-level', 'TRACE']);
    const { endpoints } = stack;
    const tokens: Record<string, string> = {};
    const mint = async (role: string, sub: string, groups: string[], name: string) => {
      const res = await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, groups, name }) });
      tokens[role] = ((await res.json()) as { token: string }).token;
    };
    const call = async (role: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${endpoints.api}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[role] ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const raw = await res.text();
      return { status: res.status, body: (raw.startsWith('{') ? JSON.parse(raw) : {}) as Json };
    };
    const job = async (name: string) => (await fetch(endpoints.outbox.replace('/outbox', `/jobs/${name}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status;
    const pendingIngestions = async () => ((await (await fetch(endpoints.outbox.replace('/outbox', '/health'))).json()) as { standIns: { smtp?: { pendingIngestions?: number } } }).standIns.smtp?.pendingIngestions;
    await mint('agent', 'ana', ['agents'], 'Ana Lopes');
    await mint('supervisor', 'sam', ['supervisors'], 'Sam Okafor');
    await mint('auditor', 'abe', ['auditors'], 'Abe Meyer');
    await mint('admin', 'adam-admin', ['admins'], 'Adam Admin');

    // (1) Web intake: a complaint with the customer's name, address, phone and message.
    const opened = await fetch(`${endpoints.api}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'complaint', ...customer, subject: text.webSubject, message: text.webMessage, privacyConsent: true }),
    });
    expect(opened.status).toBe(201);
    const web = (await opened.json()) as { caseId: string; reference: string };

    // (2) Email intake over SMTP with an attachment, and the customer's reply threaded onto it.
    const smtp = new URL(endpoints.smtp);
    const transport = createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    const sent = await transport.sendMail({
      from: `${customer.name} <${customer.email}>`,
      to: endpoints.resources.senderEmail,
      subject: text.mailSubject,
      text: text.mailBody,
      attachments: [{ filename: text.attachmentName, content: text.attachmentBody, contentType: 'text/plain' }],
    });
    const ack = await eventually(async () => {
      const outbox = (await (await fetch(endpoints.outbox)).json()) as { emails: { subject: string; destination: { to: string[] } }[] };
      return outbox.emails.find((m) => m.destination.to.includes(customer.email) && !m.subject.includes(web.reference) && /\[CS-[0-9A-Z]{6}\]/.test(m.subject));
    }, 15_000, 'the acknowledgement of the mailed case');
    const mailReference = /\[(CS-[0-9A-Z]{6})\]/.exec(ack.subject)?.[1] ?? '';
    await transport.sendMail({ from: `${customer.name} <${customer.email}>`, to: endpoints.resources.senderEmail, subject: `Re: ${ack.subject}`, inReplyTo: sent.messageId, text: text.customerReply });
    transport.close();
    await eventually(async () => ((await pendingIngestions()) === 0 ? true : undefined), 15_000, 'every accepted message ingested');

    // Staff find the customer's cases by address and by phone (in the body, never in a URL).
    const byEmail = await call('agent', 'POST', '/cases/search', { email: customer.email });
    expect(byEmail.status).toBe(200);
    const mailCaseId = (byEmail.body.items as { caseId: string; reference: string }[]).find((i) => i.reference === mailReference)?.caseId ?? '';
    expect(mailCaseId).not.toBe('');
    expect((await call('agent', 'POST', '/cases/search', { phone: customer.phone })).status).toBe(200);
    await eventually(async () => {
      const detail = (await call('agent', 'GET', `/cases/${mailCaseId}`)).body as { timeline?: { type: string }[] };
      return detail.timeline?.some((e) => e.type === 'customer_replied') ? true : undefined;
    }, 15_000, 'the customer reply on the mailed case');

    // (3) The agent works the web case: claims, replies, logs a call, adds a note, fills in the checklist.
    expect((await call('agent', 'POST', `/cases/${web.caseId}/claim`)).status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${web.caseId}/replies`, { message: text.agentReply })).status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${web.caseId}/calls`, { direction: 'outbound', durationSeconds: 240, transcript: text.transcript, summary: `${customer.name} on ${customer.phone}` })).status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${web.caseId}/notes`, { text: text.note })).status).toBe(200);
    expect((await call('agent', 'PATCH', `/cases/${web.caseId}/checklist`, { complaintHeard: true, empathyShown: true })).status).toBe(200);
    expect((await call('agent', 'GET', `/cases/${web.caseId}`)).status).toBe(200);

    // (4) Escalation and its resolution by a supervisor; staff free text names the customer, as it does in real life.
    expect((await call('agent', 'POST', `/cases/${web.caseId}/escalations`, { reason: `${customer.name} asks for a courier claim above the agent limit` })).status).toBe(200);
    expect((await call('supervisor', 'POST', `/cases/${web.caseId}/escalation/accept`, { note: `Calling ${customer.name} back on ${customer.phone}` })).status).toBe(200);
    expect((await call('supervisor', 'POST', `/cases/${web.caseId}/escalation/actions`, { action: `Filed the courier claim for ${customer.name}` })).status).toBe(200);
    expect((await call('supervisor', 'POST', `/cases/${web.caseId}/escalation/resolve`, { outcome: `Claim approved; back to Ana to tell ${customer.name}` })).status).toBe(200);

    // (5) Resolve and close both cases.
    const resolved = await call('agent', 'POST', `/cases/${web.caseId}/resolve`, {
      summary: `Refunded ${customer.name} for parcel 4471`,
      checklist: { solutionOffered: 'Refund of the parcel', correctiveAction: 'The Fenwright courier now needs a signature', followUp: { date: '2026-12-14', plan: `Call ${customer.phone} to check the refund` } },
    });
    expect(resolved.status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${web.caseId}/close`, {})).status).toBe(200);
    // The complaint's follow-up, recorded with what the customer said (M3.2).
    expect((await call('agent', 'POST', `/cases/${web.caseId}/follow-up`, { outcome: `Called ${customer.name} on ${customer.phone}: the refund arrived`, satisfied: true })).status).toBe(200);

    // The mailed case: its attachment read by the agent, answered, resolved and closed.
    expect((await call('agent', 'POST', `/cases/${mailCaseId}/claim`)).status).toBe(200);
    const attachment = await fetch(`${endpoints.api}/cases/${mailCaseId}/attachments/${createHash('sha256').update(text.attachmentBody).digest('hex')}`, { headers: { authorization: `Bearer ${tokens.agent ?? ''}` } });
    expect(attachment.status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${mailCaseId}/replies`, { message: `Dear ${customer.name}, a new Bramblewick teapot is on its way.` })).status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${mailCaseId}/resolve`, { summary: 'Replacement teapot sent' })).status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${mailCaseId}/close`, {})).status).toBe(200);

    // The same customer calls: an agent opens a case from the call (channel phone).
    const fromCall = await call('agent', 'POST', '/calls', {
      customer: { name: customer.name, phone: customer.phone },
      subject: 'Call about parcel 4471',
      message: text.webMessage,
      call: { direction: 'inbound', durationSeconds: 90, transcript: text.transcript },
    }, { 'idempotency-key': 'no-personal-data-in-logs-call' });
    expect(fromCall.status).toBe(201);

    // Archived at once, then expired from the table after 4 s and found through the archive index.
    for (const reference of [web.reference, mailReference]) {
      await eventually(async () => ((await call('auditor', 'GET', `/archive/${reference}`)).status === 200 ? true : undefined), 30_000, `the archive of ${reference}`);
    }
    for (const reference of [web.reference, mailReference]) {
      await eventually(async () => ((await call('auditor', 'GET', `/archive/${reference}`)).body.foundThrough === 'archive-index' ? true : undefined), 60_000, `${reference} expired from the table`);
    }
    expect(await job('audit-anchor')).toBe(200);
    expect(await job('retention-reconcile')).toBe(200);
    expect(await job('expiry-redrive')).toBe(200);

    // (6) Access requests by an admin, by address and by phone, and the export downloaded.
    const accessByEmail = await call('admin', 'POST', '/privacy/access-requests', { email: customer.email });
    expect(accessByEmail.status).toBe(201);
    const download = accessByEmail.body.download as { url: string };
    expect((await fetch(download.url)).status).toBe(200);
    const requestId = (accessByEmail.body.request as { requestId: string }).requestId;
    expect((await call('admin', 'GET', `/privacy/requests/${requestId}`)).status).toBe(200);
    expect((await call('admin', 'POST', '/privacy/access-requests', { phone: customer.phone })).status).toBe(201);
    expect((await call('admin', 'GET', '/privacy/requests?limit=25')).status).toBe(200);

    // (7) Erasure: refused while the call's case is open, then while it is held; done once it is closed and released.
    expect((await call('admin', 'POST', '/privacy/erasure-requests', { email: customer.email })).status).toBe(409);
    const callCase = fromCall.body.case as { caseId: string; reference: string };
    expect((await call('agent', 'POST', `/cases/${callCase.caseId}/resolve`, { summary: `Told ${customer.name} the parcel is on its way` })).status).toBe(200);
    expect((await call('agent', 'POST', `/cases/${callCase.caseId}/close`, {})).status).toBe(200);
    await eventually(async () => ((await call('auditor', 'GET', `/archive/${callCase.reference}`)).status === 200 ? true : undefined), 30_000, `the archive of ${callCase.reference}`);
    const hold = await call('admin', 'PUT', `/cases/${callCase.caseId}/legal-hold`, { basis: 'regulatory-inquiry', matter: 'ICO-2026-0042', note: `Hold ${customer.name}'s call for the regulator` });
    expect(hold.status).toBe(200);
    expect((await call('admin', 'POST', '/privacy/erasure-requests', { email: customer.email })).status).toBe(409);
    expect((await call('admin', 'DELETE', `/cases/${callCase.caseId}/legal-hold`, { note: `Released: ${customer.email}` })).status).toBe(200);
    const erased = await call('admin', 'POST', '/privacy/erasure-requests', { email: customer.email });
    expect(erased.status).toBe(201);
    // All three of the customer's cases are erased. The call's case expires from the table 4 s after
    // its hold is released (this stack's retention), so on a busy machine it may already be an
    // archive only: the split between the two counts is timing, the total is not.
    const { erased: counts } = erased.body.request as { status: string; erased: { casesErased: number; archivedOnly: number } };
    expect(erased.body.request).toMatchObject({ status: 'completed' });
    expect(counts.casesErased + counts.archivedOnly).toBe(3);
    expect(counts.archivedOnly).toBeGreaterThanOrEqual(2);

    // Every line the process printed, up to its exit.
    expect(await stack.stop()).toBe(0);
    const lines = stack.output().split('\n').filter((l) => l.trim() !== '');

    // Logging is on: structured lines from every function the lifecycle ran, so silence cannot pass for privacy.
    // Each is recognised by its own message (the function_name field is not used: it names the
    // function whose invocation was current in the shared process, which is not always the one logging).
    const messages = new Set<string>();
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        const message = (JSON.parse(line) as { message?: unknown }).message;
        if (typeof message === 'string') messages.add(message);
      } catch {
        // not a structured log line
      }
    }
    expect([...messages].sort()).toEqual(
      expect.arrayContaining([
        'case opened', // create-case, open-case-from-call
        'email ingested',
        'claim-case',
        'reply-to-case',
        'log-case-call',
        'add-case-note',
        'update-complaint-checklist',
        'escalate-case',
        'accept-escalation',
        'record-escalation-action',
        'resolve-escalation',
        'resolve-case',
        'close-case',
        'get-attachment',
        'outbox delivery',
        'sla workflow',
        'case archive', // case-archiver
        'retention stamped',
        'case archive verified', // get-case-archive
        'audit heads anchored',
        'retention reconciled',
        'expiry dead letters redriven',
        'privacy access request',
        'place-legal-hold',
        'release-legal-hold',
        'privacy erasure request',
      ]),
    );

    const leaks: string[] = [];
    for (const line of lines) {
      for (const { label, value, normalise } of needles) {
        const haystack = (normalise ? normalise(line) : line).toLowerCase();
        if (haystack.includes(value.toLowerCase())) leaks.push(`${label} in: ${normalise ? masked(normalise(line), value) : masked(line, value)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
