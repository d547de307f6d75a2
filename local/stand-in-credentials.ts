import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * The credentials of one local install's stand-ins (DynamoDB Local and s3rver), made up at the
 * first start and kept in the data directory, readable by its owner alone. They are the stand-ins'
 * access control: DynamoDB Local, run without `-sharedDb`, keeps one database per access key id,
 * so a client with any other key sees an empty database; s3rver accepts this key id and no other,
 * and no anonymous request. Nothing else on the machine or the network knows them.
 */
export const CREDENTIALS_FILE = 'stand-in-credentials.json';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LETTERS_AND_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const StandInCredentialsSchema = z.object({
  // DynamoDB Local takes letters and digits only in an access key id (it names a file after it).
  accessKeyId: z.string().regex(/^[A-Z0-9]{20,128}$/),
  secretAccessKey: z.string().min(20),
});
export type StandInCredentials = z.infer<typeof StandInCredentialsSchema>;

const random = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

/** New random credentials: 128+ bits in the key id alone, which is all DynamoDB Local looks at. */
export function newStandInCredentials(): StandInCredentials {
  return { accessKeyId: `CF${random(ALPHANUMERIC, 30)}`, secretAccessKey: random(LETTERS_AND_DIGITS, 40) };
}

/** The install's credentials from `<dataDir>/stand-in-credentials.json`, made (mode 0600) on first use. */
export function installCredentials(dataDir: string): StandInCredentials {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (existsSync(file)) return StandInCredentialsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const created = newStandInCredentials();
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

/** For tools beside a running stack (the CLI, benchmarks): the credentials it made, or a clear error. */
export function readStandInCredentials(dataDir: string): StandInCredentials {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (!existsSync(file)) throw new Error(`no ${file}: start the stack with \`npm start\` first`);
  return StandInCredentialsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
