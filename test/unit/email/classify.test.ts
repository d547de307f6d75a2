import iconv from 'iconv-lite';
import { parseMime } from '../../../functions/adapters/email/parse-mime';
import { classifyInbound, type InboundKind } from '../../../functions/core/email/classify';
import type { InboundEmail } from '../../../functions/core/email/inbound-email';
import { messageIdKeys } from '../../../functions/core/email/threading';
import { ACK_MESSAGE_ID, BOUNCED_RECIPIENT, CARRIER_SUBJECT, SES_ID, SUPPORT, type FixtureName } from '../../fixtures/email/build-fixtures';
import { emailLike, parseFixture } from './fixture-email';

const OWN = { ownAddresses: [SUPPORT] };

describe('email classification: loops and noise never open a case nor get an acknowledgement (M3.1; recorded per M7.1)', () => {
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

describe('email classification: SES notifications delivered by Amazon SNS are machine mail (M3.1: no acknowledgement)', () => {
  it('reads an SES bounce notification (SNS email-json) as a bounce of the mail SES sent, by its bare SES id', async () => {
    const { email } = await parseFixture('sns-ses-bounce');
    expect(classifyInbound(email, OWN)).toEqual({
      kind: 'bounce',
      reason: 'Amazon SNS notification of an SES Bounce (Permanent)',
      bounce: { originalMessageId: SES_ID, recipient: BOUNCED_RECIPIENT, status: '5.1.1' },
    });
  });

  it('reads an SES complaint notification (SNS email, footer below) as a feedback report', async () => {
    expect(classifyInbound((await parseFixture('sns-ses-complaint')).email, OWN).kind).toBe('feedback_report');
  });

  it('reads an SES delivery notification as a delivery report', async () => {
    expect(classifyInbound((await parseFixture('sns-ses-delivery')).email, OWN).kind).toBe('delivery_report');
  });

  it.each([
    ['a subscription confirmation', 'You have chosen to subscribe to the topic:\narn:aws:sns:eu-west-1:111122223333:caseflow-ses-events\n\nTo confirm this subscription, click or visit the link below:\nhttps://sns.eu-west-1.amazonaws.com/confirmation.html?TopicArn=x&Token=y\n'],
    ['JSON that does not parse', '{"Type" : "Notification", "Message" : "{\\"notificationType\\":\\"Bounce\\",\\"bounce\\":{'],
    ['an alarm of another topic', '{"Type":"Notification","TopicArn":"arn:aws:sns:eu-west-1:111122223333:alarms","Message":"{\\"AlarmName\\":\\"cpu\\"}"}'],
  ])('treats other SNS mail (%s) as machine mail, never a customer', async (_what, text) => {
    const email = await emailLike('sns-ses-bounce', { text });
    expect(classifyInbound(email, OWN)).toMatchObject({ kind: 'bulk', reason: expect.stringMatching(/^Amazon SNS email/) });
  });

  it('treats an SNS notification too large to read whole (cut at the text limit) as machine mail', async () => {
    const huge = `{"notificationType":"Bounce","bounce":{"bouncedRecipients":[${'{"emailAddress":"a@example.net"},'.repeat(3_000)}]}}`;
    const email = await emailLike('sns-ses-bounce', { text: huge.slice(0, 100_000) });
    expect(classifyInbound(email, OWN).kind).toBe('bulk');
  });
});

describe('email classification: bounces without a report part are never acknowledged (M3.1; recorded per M7.1)', () => {
  it.each([
    ['"Mail Delivery Subsystem" <mailer_daemon@mx.example.org>', 'Re: your message'],
    ['<MAILER-DAEMON@mx.example.org>', 'Re: Question about my order'],
    ['"Mail Delivery System" <mail-daemon@relay.example.org>', 'Returned mail: see transcript for details'],
    ['<mail.delivery.system@example.org>', 'Re: your message'],
    ['"MDaemon" <mdaemon@mail.example.org>', 'Re: your message'],
    ['<post_master@vtext.example.com>', 'Re:Test message'],
    ['"Mail Delivery Subsystem" <noreply-dsn@mx.example.org>', 'Re: your message'],
  ])('treats mail from %s with the subject "%s" as a bounce', async (sender, subject) => {
    const [, name, address = ''] = /^(?:"([^"]*)" )?<([^>]+)>$/.exec(sender) ?? [];
    const email = await emailLike('plain-inquiry', { from: { address, ...(name ? { name } : {}) }, subject }, { returnPath: undefined });
    expect(classifyInbound(email, OWN).kind).toBe('bounce');
  });

  it.each(['From: MAILER-DAEMON <>', 'From: MAILER-DAEMON', 'From: "Mail Delivery System" <MAILER-DAEMON>'])(
    'treats a daemon without a domain (%s) as a bounce, with details from its text',
    async (fromLine) => {
      const raw = Buffer.from(
        `${fromLine}\r\nTo: ${SUPPORT}\r\nSubject: Mail delivery failed\r\nMessage-ID: <b-1@mx.example.org>\r\n\r\n` +
          `This message was created automatically by mail delivery software.\r\n\r\n  nobody@example.net\r\n    SMTP error from remote mail server: 550 5.1.1 User unknown\r\n\r\n` +
          `------ This is a copy of the message, including all the headers. ------\r\n\r\nMessage-ID: ${ACK_MESSAGE_ID}\r\nSubject: x\r\n`,
      );
      const { email } = await parseMime(raw);
      expect(email.from).toBeUndefined();
      expect(classifyInbound(email, OWN)).toMatchObject({ kind: 'bounce', bounce: { originalMessageId: `${SES_ID}@email.amazonses.com`, status: '5.1.1' } });
    },
  );

  it('treats a Japanese carrier’s delivery error notice (null Return-Path, Japanese subject) as a bounce and decodes it', async () => {
    const { email } = await parseFixture('carrier-bounce-ja');
    expect(email.subject).toBe(CARRIER_SUBJECT);
    expect(email.text).toContain('送信できませんでした');
    expect(classifyInbound(email, OWN)).toMatchObject({ kind: 'bounce', reason: 'null Return-Path and a bounce subject' });
  });

  it('decodes an undeclared Shift_JIS subject of a carrier daemon with the charset of its text', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: Postmaster@docomo.example.ne.jp\r\nTo: support@example.com\r\nSubject: '),
      iconv.encode('メール送信エラー', 'Shift_JIS'),
      Buffer.from('\r\nContent-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      iconv.encode('宛先不明のため、送信できませんでした。\r\n', 'Shift_JIS'),
    ]);
    const { email } = await parseMime(raw);
    expect(email.subject).toBe('メール送信エラー');
    expect(email.parseProblems).toContain('Subject: undeclared 8-bit text decoded as shift_jis (the charset the message declares)');
    expect(classifyInbound(email, OWN).kind).toBe('bounce');
  });

  it.each([
    'Unzustellbar: Ihre Anfrage',
    'Nicht zustellbar: Bestellung',
    'Non remis : Votre commande',
    'Échec de la remise du message',
    'No se puede entregar: su pedido',
    'Mensaje no entregado',
    'Non recapitabile: ordine',
    'Mancato recapito del messaggio',
    'メッセージを配信できません。',
    'メールエラー通知',
    '送信できませんでした / Mail Delivery Failure',
    '系统退信',
    '无法投递: 您的订单',
    '無法傳遞: 訂單',
    '배달되지 않음: 주문',
    '메일 전송 실패',
    'Недоставленное сообщение',
    'Ваше сообщение не доставлено. Mail failure.',
  ])('treats the bounce subject "%s" with the null Return-Path as a bounce, and from a customer as a customer', async (subject) => {
    expect(classifyInbound(await emailLike('plain-inquiry', { subject }, { returnPath: '' }), OWN).kind).toBe('bounce');
    expect(classifyInbound(await emailLike('plain-inquiry', { subject }, { returnPath: 'ada@example.net' }), OWN).kind).toBe('new_message');
  });

  it('takes a bounce subject from a mail-system sender without the null Return-Path as a bounce', async () => {
    const email = await emailLike('plain-inquiry', { from: { address: 'mailer@mx.example.org', name: 'Mail Administrator' }, subject: 'Undeliverable Message' }, { returnPath: 'mailer@mx.example.org' });
    expect(classifyInbound(email, OWN).kind).toBe('bounce');
  });

  it.each([
    ['a customer whose parcel delivery failed', { subject: 'Delivery failure of my parcel 1234' }],
    ['a customer replying about a delivery failure', { subject: 'Re: Mail delivery failed for my order?' }],
    ['a customer called Mailer', { from: { address: 'anna.mailer@example.net', name: 'Anna Mailer' }, subject: 'Delivery failure: parcel 1234 never came' }],
    ['a customer forwarding a bounce as text', { subject: 'Fwd: Undelivered Mail Returned to Sender', text: 'See below.\n\n---------- Forwarded message ---------\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.net>\nSubject: Undelivered Mail Returned to Sender\n\n550 5.1.1 User unknown\n' }],
  ])('keeps %s a new message', async (_who, changes) => {
    expect(classifyInbound(await emailLike('plain-inquiry', changes, { returnPath: 'ada@example.net' }), OWN).kind).toBe('new_message');
  });

  it('keeps an auto-reply that quotes a bounce subject further on an auto-reply', async () => {
    const email = await emailLike('vacation-auto-reply', { subject: 'Automatic reply: Undeliverable: parcel' });
    expect(classifyInbound(email, OWN).kind).toBe('auto_reply');
  });
});

describe('email classification: mailing-list managers (M3.1: no acknowledgement to a list robot)', () => {
  it('treats Mailman holding caseflow’s mail for the moderator as a delivery report', async () => {
    expect(classifyInbound((await parseFixture('list-held')).email, OWN)).toMatchObject({ kind: 'delivery_report', reason: expect.stringMatching(/held for moderation/) });
  });

  it('treats LISTSERV rejecting caseflow’s mail as a bounce of it', async () => {
    expect(classifyInbound((await parseFixture('list-rejected')).email, OWN)).toMatchObject({
      kind: 'bounce',
      bounce: { originalMessageId: `${SES_ID}@email.amazonses.com` },
    });
  });

  it.each<[string, string, InboundKind, Partial<InboundEmail['headers']>]>([
    ['widgets-bounces@lists.example.org', 'Your message to Widgets awaits moderator approval', 'delivery_report', {}],
    ['owner-widgets@lists.example.org', 'Rejected posting', 'bounce', {}],
    ['widgets-request@lists.example.org', 'Message rejected', 'bounce', {}],
    ['mailman@lists.example.org', 'Request to mailing list Widgets rejected', 'bounce', {}],
    ['sympa@lists.example.org', 'Results of your commands', 'bulk', {}],
    ['majordomo@lists.example.org', 'Majordomo results', 'bulk', {}],
    ['widgets-owner@lists.example.org', 'Welcome to the "Widgets" mailing list', 'bulk', { listManager: 'x-list-administrivia' }],
  ])('treats mail from %s, "%s", as %s', async (address, subject, kind, headers) => {
    expect(classifyInbound(await emailLike('plain-inquiry', { from: { address }, subject }, headers), OWN).kind).toBe(kind);
  });

  it.each([
    ['owner-relations@property.example', 'Question about my service charge'],
    ['sales-admin@shop.example', 'Re: My refund was rejected'],
    ['ada@example.net', 'Re: Your message to Widgets awaits moderator approval'],
  ])('keeps %s writing "%s" a new message', async (address, subject) => {
    expect(classifyInbound(await emailLike('plain-inquiry', { from: { address }, subject }), OWN).kind).toBe('new_message');
  });
});
