import { domainToASCII } from 'node:url';
import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { standInCredentials, type Endpoints } from './aws-clients';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Mailer, OutgoingEmail } from '../core/ports';

/**
 * Sends through SES with SendRawEmail, so that caseflow controls every header
 * (Auto-Submitted, the case header). MIME is composed by nodemailer, never by hand.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const headers: Record<string, string> = { ...email.headers };
    if (email.autoSubmitted) {
      headers['Auto-Submitted'] = email.autoSubmitted;
      // Ask Exchange/Outlook not to answer with out-of-office replies.
      headers['X-Auto-Response-Suppress'] = 'All';
    }
    // SES takes ASCII addresses only: an internationalised domain goes as Punycode (the core never
    // sends to a non-ASCII local part: see core/email-address.ts).
    const to = asciiAddress(email.to);
    const raw = await new MailComposer({
      from: this.from,
      // As an object: nodemailer never parses it, so the address cannot bring a name or a second address.
      to: { name: '', address: to },
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers,
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    })
      .compile()
      .build();
    const out = await this.ses.send(
      new SendRawEmailCommand({
        // The envelope names the one recipient, whatever the headers say.
        Destinations: [to],
        RawMessage: { Data: raw },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    if (!out.MessageId) throw new Error('SES returned no MessageId');
    return { messageId: out.MessageId };
  }
}

/** `jdoe@mächine.example` -> `jdoe@xn--mchine-bua.example`. */
export function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1)) || address.slice(at + 1)}`;
}

export function createSesClient(cfg: Endpoints): SESClient {
  return new SESClient({
    region: cfg.AWS_REGION,
    // The local SES stand-in hangs on actions it does not implement: never wait forever.
    requestHandler: { requestTimeout: 10_000, connectionTimeout: 2_000 },
    ...(cfg.SES_ENDPOINT ? { endpoint: cfg.SES_ENDPOINT, credentials: standInCredentials(cfg) } : {}),
  });
}
