import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFor, environmentFor, FUNCTION_CONFIG, type FunctionName } from '../../../functions/adapters/function-config';

const HANDLERS = join(__dirname, '../../../functions/handlers');

describe('the deployment contract (function-config.ts)', () => {
  it('names every handler that is deployed as a function, and nothing else', () => {
    const handlers = readdirSync(HANDLERS).filter((f) => f.endsWith('.ts') && /export const handler\b/.test(readFileSync(join(HANDLERS, f), 'utf8')));
    expect(Object.keys(FUNCTION_CONFIG).sort()).toEqual(handlers.map((f) => f.replace(/\.ts$/, '')).sort());
  });

  it('is what each handler reads its configuration with: its own name, never another function\'s or a schema of its own', () => {
    for (const name of Object.keys(FUNCTION_CONFIG) as FunctionName[]) {
      const file = join(HANDLERS, `${name}.ts`);
      expect(existsSync(file)).toBe(true);
      const source = readFileSync(file, 'utf8');
      expect({ name, readsConfigDirectly: /readConfig\(/.test(source) }).toEqual({ name, readsConfigDirectly: false });
      const named = [...source.matchAll(/(?:configFor|staffAction)\(\s*'([a-z-]+)'/g)].map((m) => m[1]);
      expect({ name, named: [...new Set(named)].filter((n) => n !== name) }).toEqual({ name, named: [] });
    }
  });

  it('leaves building adapters to the composition root (wiring.ts): no handler constructs one', () => {
    const files = readdirSync(HANDLERS, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    for (const f of files) {
      const source = readFileSync(join(HANDLERS, f), 'utf8');
      const constructs = [...source.matchAll(/new (Dynamo\w+|S3BlobStore|SesMailer|SfnSlaWorkflows|\w+Client)\(|create(?:DocumentClient|S3Client|SesClient|SfnClient|JwtVerifier)\(/g)].map((m) => m[0]);
      expect({ file: f, constructs }).toEqual({ file: f, constructs: [] });
    }
  });

  it('fails a function started without a variable it needs, naming it', () => {
    expect(() => configFor('email-ingest', { TABLE_NAME: 'caseflow', INBOUND_BUCKET: 'inbound' })).toThrow(/ATTACHMENTS_BUCKET.*SUPPORT_ADDRESSES|SUPPORT_ADDRESSES.*ATTACHMENTS_BUCKET/s);
    const env = environmentFor('email-ingest', { TABLE_NAME: 'caseflow', INBOUND_BUCKET: 'inbound', ATTACHMENTS_BUCKET: 'archive', SUPPORT_ADDRESSES: 'support@example.com' });
    expect(configFor('email-ingest', env)).toMatchObject({ SUPPORT_ADDRESSES: ['support@example.com'], INGEST_MAX_ATTEMPTS: 5 });
  });
});
