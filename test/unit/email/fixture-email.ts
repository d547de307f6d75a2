import { readFileSync } from 'node:fs';
import { parseMime, type ParsedInboundEmail } from '../../../functions/adapters/email/parse-mime';
import type { InboundEmail } from '../../../functions/core/email/inbound-email';
import type { BlobBody } from '../../../functions/core/ports';
import type { FixtureName } from '../../fixtures/email/build-fixtures';
import { fixturePath } from '../../support/fixtures';

/** The raw bytes of test/fixtures/email/<name>.eml. */
export const rawFixture = (name: FixtureName): Buffer => readFileSync(fixturePath('email', `${name}.eml`));

/** A fixture through the MIME adapter, as the ingestion will see it. */
export const parseFixture = (name: FixtureName): Promise<ParsedInboundEmail> => parseMime(rawFixture(name));

/** An email as the core sees it, built from a parsed fixture with some fields changed. */
export async function emailLike(name: FixtureName, changes: Partial<InboundEmail> = {}, headers: Partial<InboundEmail['headers']> = {}): Promise<InboundEmail> {
  const { email } = await parseFixture(name);
  return { ...email, ...changes, headers: { ...email.headers, ...headers } };
}

/** The bytes of a parsed attachment, whether kept in memory or spooled to a file. */
export async function bytesOf(body: BlobBody): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body.open()) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
