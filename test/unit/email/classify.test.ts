import { classifyInbound, type InboundKind } from '../../../functions/core/email/classify';
import { messageIdKeys } from '../../../functions/core/email/threading';
import { ACK_MESSAGE_ID, SES_ID, SUPPORT, type FixtureName } from '../../fixtures/email/build-fixtures';
import { emailLike, parseFixture } from './fixture-email';

const OWN = { ownAddresses: [SUPPORT] };

describe('email classification: loops and noise never open a case (issue 4 point 6; recorded per M7.1)', () => {
  it.each<[FixtureName, InboundKind]>([
    ['plain-inquiry', 'new_message'],
    ['reply-ses-in-reply-to', 'new_message'],
    ['reply-all-cc', 'new_message'],
    ['subject-reference', 'new_message'],
    ['plus-address', 'new_message'],
    ['html-only-script', 'new_message'],
    ['iso-2022-jp', 'new_message'],
    ['windows-1252', 'new_message'],
    ['complaint-address', 'new_message'],
    ['attachments', 'new_message'],
    ['cr-only', 'new_message'],
    ['vacation-auto-reply', 'auto_reply'],
    ['outlook-auto-reply', 'auto_reply'],
    ['dsn-bounce', 'bounce'],
    ['read-receipt', 'read_receipt'],
    ['arf-report', 'feedback_report'],
    ['own-address', 'own_mail'],
    ['list-mail', 'bulk'],
  ])('classifies the %s fixture as %s', async (name, kind) => {
    const { email } = await parseFixture(name);
    expect(classifyInbound(email, OWN).kind).toBe(kind);
  });

  it('recognises an Outlook auto-reply by X-Auto-Response-Suppress alone, before its subject', async () => {
    const { email } = await parseFixture('outlook-auto-reply');
    expect(email.headers.autoSubmitted).toBeUndefined();
    expect(classifyInbound(email, OWN).reason).toMatch(/X-Auto-Response-Suppress/);
  });

  it('names the failed recipient, the status and the bounced Message-ID, which leads to the SES id caseflow stored', async () => {
    const { email } = await parseFixture('dsn-bounce');
    const { bounce } = classifyInbound(email, OWN);
    expect(bounce).toEqual({ originalMessageId: `${SES_ID}@email.amazonses.com`, recipient: 'nobody@example.net', status: '5.1.1' });
    expect(messageIdKeys(bounce?.originalMessageId ?? '')).toContain(SES_ID);
  });

  it('reports a DSN whose recipients were delivered or delayed as a delivery report, not a bounce', async () => {
    for (const action of ['delivered', 'delayed', 'relayed']) {
      const email = await emailLike('dsn-bounce', {
        report: { deliveryStatus: `Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ada@example.net\nAction: ${action}\nStatus: 2.0.0\n` },
      });
      expect(classifyInbound(email, OWN).kind).toBe('delivery_report');
    }
  });

  it('treats a report before the sender: a DSN from caseflow’s own domain is still a bounce', async () => {
    const email = await emailLike('dsn-bounce', { from: { address: 'postmaster@example.com' } });
    expect(classifyInbound(email, { ownAddresses: [SUPPORT], ownDomains: ['example.com'] }).kind).toBe('bounce');
  });

  it('treats mail from mailer-daemon or postmaster without a report as a bounce, with details from the text', async () => {
    const email = await emailLike(
      'plain-inquiry',
      {
        from: { address: 'mailer-daemon@googlemail.com', name: 'Mail Delivery Subsystem' },
        subject: 'Delivery Status Notification (Failure)',
        messageId: '<own-bounce-id@google.com>',
        text: 'Delivery to the following recipient failed permanently:\n\n550 5.1.1 User Unknown\n\n----- Original message -----\n\nMessage-Id: <D992C2C3@Example.com>\nSubject: TEST\n',
      },
      { xFailedRecipients: ['userunknown@example.jp'] },
    );
    expect(classifyInbound(email, OWN)).toMatchObject({
      kind: 'bounce',
      bounce: { originalMessageId: 'd992c2c3@example.com', recipient: 'userunknown@example.jp', status: '5.1.1' },
    });
    const postmaster = await emailLike('plain-inquiry', { from: { address: 'Postmaster@mx.example.org' } });
    expect(classifyInbound(postmaster, OWN).kind).toBe('bounce');
  });

  it('treats mail from caseflow’s own addresses, plus-tagged or in its own domains, as own mail', async () => {
    const tagged = await emailLike('plain-inquiry', { from: { address: 'support+cs-7k3m9q@example.com' } });
    expect(classifyInbound(tagged, OWN).kind).toBe('own_mail');
    const domain = await emailLike('plain-inquiry', { from: { address: 'noreply@mail.example.com' } });
    expect(classifyInbound(domain, { ownAddresses: [SUPPORT], ownDomains: ['mail.example.com'] }).kind).toBe('own_mail');
    expect(classifyInbound(domain, OWN).kind).toBe('new_message');
  });

  it('treats any Auto-Submitted value but "no" as automatic (RFC 3834)', async () => {
    for (const value of ['auto-replied', 'auto-generated', 'auto-notified; owner-email="a@example.net"', 'Auto-Replied']) {
      expect(classifyInbound(await emailLike('plain-inquiry', {}, { autoSubmitted: value }), OWN).kind).toBe('auto_reply');
    }
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { autoSubmitted: 'no' }), OWN).kind).toBe('new_message');
  });

  it('treats X-Autoreply, X-Autorespond and Precedence: auto_reply as automatic', async () => {
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { xAutoreply: 'yes' }), OWN).kind).toBe('auto_reply');
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { xAutorespond: '1' }), OWN).kind).toBe('auto_reply');
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { precedence: 'auto_reply' }), OWN).kind).toBe('auto_reply');
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { xAutoResponseSuppress: 'None' }), OWN).kind).toBe('new_message');
  });

  it('treats Precedence bulk, junk and list, List-Id and List-Unsubscribe as bulk mail', async () => {
    for (const precedence of ['bulk', 'junk', 'list', 'Bulk']) {
      expect(classifyInbound(await emailLike('plain-inquiry', {}, { precedence }), OWN).kind).toBe('bulk');
    }
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { listId: '<news.example.org>' }), OWN).kind).toBe('bulk');
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { listUnsubscribe: '<https://example.org/u>' }), OWN).kind).toBe('bulk');
  });

  it.each([
    'Automatic reply: Question about my order',
    'Auto reply: Nyaan',
    'AutoReply: order',
    'Out of Office: order 1234',
    'Out of Office AutoReply: order',
    'Out of office',
    'Abwesenheitsnotiz: Ihre Anfrage',
    'Automatische Antwort: Ihre Anfrage',
    'Réponse automatique : votre demande',
    'Respuesta automática: su pedido',
    'Risposta automatica: ordine',
    'Automatisch antwoord: bestelling',
    'Autosvar: order',
    'Automaattinen vastaus: tilaus',
    'Odpowiedź automatyczna: zamówienie',
    'Автоматический ответ: заказ',
    '自動返信: ご注文',
    '[自動返信] ご注文について',
    '自动回复：订单',
  ])('recognises the auto-reply subject "%s"', async (subject) => {
    expect(classifyInbound(await emailLike('plain-inquiry', { subject }), OWN).kind).toBe('auto_reply');
  });

  it.each(['Out of office hours support?', 'Vacation package refund', 'Auto reply settings do not work', 'Re: Automatic replies are broken in your app', 'Question about my out of office order'])(
    'keeps the customer subject "%s" a new message',
    async (subject) => {
      expect(classifyInbound(await emailLike('plain-inquiry', { subject }), OWN).kind).toBe('new_message');
    },
  );

  it('treats mail sent with the null reverse path as automatic, and as a bounce with a bounce subject', async () => {
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { returnPath: '' }), OWN).kind).toBe('auto_reply');
    const undeliverable = await emailLike('plain-inquiry', { subject: 'Undeliverable: Question about my order' }, { returnPath: '' });
    expect(classifyInbound(undeliverable, OWN).kind).toBe('bounce');
    expect(classifyInbound(await emailLike('plain-inquiry', {}, { returnPath: 'ada@example.net' }), OWN).kind).toBe('new_message');
  });

  it('says why in the reason, naming the rule', async () => {
    expect(classifyInbound((await parseFixture('vacation-auto-reply')).email, OWN).reason).toBe('Auto-Submitted: auto-replied (RFC 3834)');
    expect(classifyInbound((await parseFixture('list-mail')).email, OWN).reason).toBe('Precedence: list');
    expect(classifyInbound((await parseFixture('plain-inquiry')).email, OWN).reason).toBe('no automatic-mail signal');
  });
});

describe('email classification: reports are the message’s own, not those of a message it forwards (M7.1)', () => {
  it.each(['arf-in-mixed', 'arf-part-in-mixed'] as const)('classifies an ARF report wrapped in multipart/mixed (%s) as a feedback report, with the reported message’s headers', async (name) => {
    const { email } = await parseFixture(name);
    expect(classifyInbound(email, OWN).kind).toBe('feedback_report');
    expect(email.report?.feedbackReport).toContain('Feedback-Type: abuse');
    expect(email.report?.original?.messageId).toBe(ACK_MESSAGE_ID);
  });

  it('keeps a customer’s message that forwards a bounce inline a new message, the bounce kept as an attachment', async () => {
    const { email } = await parseFixture('forwarded-bounce');
    expect(classifyInbound(email, OWN).kind).toBe('new_message');
    expect(email.report).toBeUndefined();
    expect(email.text).toContain('Is it still right?');
  });
});
