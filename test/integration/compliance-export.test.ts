import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import { wiring } from '../../functions/adapters/wiring';
import { addNote } from '../../functions/core/actions/add-note';
import { verifyChain, hashEvent } from '../../functions/core/audit-chain';
import type { CaseEvent } from '../../functions/core/case-event';
import { fixedClock } from '../../functions/core/clock';
import { exportIdOf, exportKeys, runExport, verifyExportChain, type ExportDeps, type ExportStore } from '../../functions/core/compliance-export';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { LOCAL_NAMES } from '../../local/resources';
import { seededRandom, submission } from '../support/fixtures';
import { freshTable } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
let app: ReturnType<typeof wiring>;
const tag = randomUUID().slice(0, 8);
const agent = { kind: 'agent' as const, id: 'export-agent' };
const EXPORTED_AT = fixedClock('2026-06-01T02:00:00.000Z');

/** The exports bucket under a prefix of this run's own: its manifest chain is this test's alone. */
function prefixed(store: ExportStore, prefix: string): ExportStore & { remove(key: string): Promise<void> } {
  return {
    put: (key, bytes, type) => store.put(prefix + key, bytes, type),
    putIfAbsent: (key, bytes, type) => store.putIfAbsent(prefix + key, bytes, type),
    get: (key) => store.get(prefix + key),
    list: async (p) => (await store.list(prefix + p)).map((k) => k.slice(prefix.length)),
    // The test's hand, not caseflow's: caseflow never deletes an export.
    remove: async (key) => {
      const s3 = createS3Client(readConfig(AwsEndpointsSchema));
      await s3.send(new DeleteObjectCommand({ Bucket: LOCAL_NAMES.exportsBucket, Key: prefix + key }));
      s3.destroy();
    },
  };
}

const seeded: { caseId: string; email: string; name: string; day: string }[] = [];

beforeAll(async () => {
  env = await freshTable();
  const endpoints = readConfig(AwsEndpointsSchema);
  app = wiring({ ...endpoints, TABLE_NAME: env.tableName, EXPORTS_BUCKET: LOCAL_NAMES.exportsBucket, EXPORT_SIGNING_KEY_DIR: process.env.EXPORT_SIGNING_KEY_DIR });
  // 24 cases over three days of May, each with a customer of its own and a note written about them.
  for (let i = 0; i < 24; i += 1) {
    const day = `2026-05-0${1 + (i % 3)}`;
    const at = `${day}T${String(8 + (i % 10)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00.000Z`;
    const email = `export.customer.${tag}.${i}@example.com`;
    const name = `Exported Customer ${tag} ${i}`;
    const caseId = randomUUID();
    await openCaseFromSubmission(
      { submission: submission({ email, name, message: `message of ${name}` }), channel: 'web' },
      { store: env.store, clock: fixedClock(at), newCaseId: () => caseId, random: seededRandom(i + 1), policy: slaPolicy() },
    );
    await addNote(caseId, { text: `Called ${name}` }, { actor: agent }, { store: env.store, clock: fixedClock(at.replace(':00.000Z', ':30.000Z')) });
    seeded.push({ caseId, email, name, day });
  }
});

function depsWith(store: ExportStore): ExportDeps {
  return { store, source: app.exportSource, codec: app.exportCodec, signer: app.manifestSigner };
}

async function rowsOf(store: ExportStore, paths: string[], format: 'jsonl' | 'parquet', type: 'cases' | 'events') {
  const rows = [];
  for (const path of paths.filter((p) => p.includes(`/${type}-`) && p.endsWith(`.${format}`))) {
    const bytes = (await store.get(path))!;
    rows.push(...(format === 'jsonl' ? app.exportCodec.readJsonl(bytes) : await app.exportCodec.readParquet(type, bytes)));
  }
  return rows;
}

describe('compliance exports (M5.3, M7.3, C4.3, C6.3)', () => {
  const store = () => prefixed(app.exportStore, `it-${tag}/`);
  const period = { from: '2026-05-01', to: '2026-05-03' };

  it('exports every case changed in the period once, every event once, in JSON Lines and Parquet alike, with no personal data', async () => {
    const s = store();
    const manifest = await runExport(period, 'on-demand', depsWith(s), EXPORTED_AT);
    expect(manifest).toMatchObject({ exportId: exportIdOf(period), sequence: 1, previous: null, counts: { cases: 24, heads: 24 } });
    const paths = manifest.files.map((f) => f.path);
    const cases = await rowsOf(s, paths, 'jsonl', 'cases');
    expect(cases.map((r) => r.caseId).sort()).toEqual(seeded.map((c) => c.caseId).sort());
    expect(await rowsOf(s, paths, 'parquet', 'cases')).toEqual(cases);

    const events = await rowsOf(s, paths, 'jsonl', 'events');
    expect(await rowsOf(s, paths, 'parquet', 'events')).toEqual(events);
    let expectedEvents = 0;
    for (const c of seeded) {
      const timeline = await env.store.getTimeline(c.caseId);
      expectedEvents += timeline.length;
      const exported = events.filter((e) => e.caseId === c.caseId).map((e) => JSON.parse(String(e.event)) as CaseEvent);
      // Every event once, in order, each still hashing to its stored hash: the chain verifies from the export alone.
      expect(exported.map((e) => e.seq)).toEqual(timeline.map((e) => e.seq));
      expect(verifyChain(exported)).toEqual({ valid: true, length: timeline.length });
      for (const e of exported) expect(hashEvent((({ hash: _h, ...rest }) => rest)(e))).toBe(e.hash);
    }
    expect(manifest.counts.events).toBe(expectedEvents);
    expect(events).toHaveLength(expectedEvents);

    for (const path of paths) {
      const text = Buffer.from((await s.get(path))!).toString('utf8');
      const leaked = seeded.filter((c) => text.includes(c.email) || text.includes(c.name));
      expect({ path, leaked: leaked.length }).toEqual({ path, leaked: 0 });
    }
    expect(await verifyExportChain({ store: s, publicKeyPem: await app.manifestSigner.publicKeyPem() })).toEqual({ valid: true, manifests: 1, files: paths.length });
  });

  it('returns the same export when the period is asked for again, and chains the next one to it', async () => {
    const s = store();
    const again = await runExport(period, 'scheduled', depsWith(s), EXPORTED_AT);
    expect(again.sequence).toBe(1);
    const next = await runExport({ from: '2026-05-04', to: '2026-05-04' }, 'scheduled', depsWith(s), EXPORTED_AT);
    expect(next).toMatchObject({ sequence: 2, previous: { sequence: 1 }, counts: { cases: 0 } });
    expect(await verifyExportChain({ store: s, publicKeyPem: await app.manifestSigner.publicKeyPem() })).toMatchObject({ valid: true, manifests: 2 });
  });

  it('resumes an export that stopped half-way, with the same files as a run that never stopped: no duplicate, no gap', async () => {
    const clean = prefixed(app.exportStore, `it-${tag}-clean/`);
    const reference = await runExport(period, 'on-demand', depsWith(clean), EXPORTED_AT);

    const crashing = prefixed(app.exportStore, `it-${tag}-crash/`);
    let puts = 0;
    const failing: ExportStore = {
      ...crashing,
      put: async (key, bytes, type) => {
        if (key.includes('date=2026-05-02')) puts += 1;
        // Half-way through the second day's files (8 files, then its marker).
        if (puts > 4) throw Object.assign(new Error('S3 unavailable'), { name: 'ServiceUnavailable' });
        return crashing.put(key, bytes, type);
      },
    };
    await expect(runExport(period, 'on-demand', depsWith(failing), EXPORTED_AT)).rejects.toThrow('S3 unavailable');
    expect(await crashing.get(exportKeys.day(exportIdOf(period), '2026-05-01'))).toBeDefined();
    expect(await crashing.get(exportKeys.day(exportIdOf(period), '2026-05-02'))).toBeUndefined();

    const resumed = await runExport(period, 'on-demand', depsWith(crashing), EXPORTED_AT);
    expect(resumed.files.map((f) => [f.path, f.sha256])).toEqual(reference.files.map((f) => [f.path, f.sha256]));
    expect(resumed.counts).toEqual(reference.counts);
  });

  it('finds a deleted file, an edited file, a broken signature and a missing manifest, naming the first broken link', async () => {
    const publicKeyPem = await app.manifestSigner.publicKeyPem();
    const fresh = () => prefixed(app.exportStore, `it-${tag}-tamper-${randomUUID().slice(0, 6)}/`);
    const twoExports = async (s: ExportStore) => {
      const first = await runExport(period, 'scheduled', depsWith(s), EXPORTED_AT);
      await runExport({ from: '2026-05-04', to: '2026-05-04' }, 'scheduled', depsWith(s), EXPORTED_AT);
      return first;
    };

    const deleted = fresh();
    const first = await twoExports(deleted);
    const victim = first.files.find((f) => f.type === 'events' && f.format === 'parquet')!;
    await deleted.remove(victim.path);
    expect(await verifyExportChain({ store: deleted, publicKeyPem })).toMatchObject({ valid: false, manifests: 0, firstProblem: { sequence: 1, path: victim.path, problem: 'a file is missing' } });

    const edited = fresh();
    const firstEdited = await twoExports(edited);
    const target = firstEdited.files.find((f) => f.type === 'cases' && f.format === 'jsonl')!;
    const text = Buffer.from((await edited.get(target.path))!).toString('utf8').replace('"status":"new"', '"status":"closed"');
    await edited.put(target.path, new TextEncoder().encode(text), 'application/x-ndjson');
    expect(await verifyExportChain({ store: edited, publicKeyPem })).toMatchObject({ valid: false, firstProblem: { sequence: 1, path: target.path, problem: expect.stringContaining('altered') } });

    const forged = fresh();
    await twoExports(forged);
    const manifestKey = exportKeys.chained(2);
    const manifest = JSON.parse(Buffer.from((await forged.get(manifestKey))!).toString('utf8')) as { counts: { cases: number } };
    manifest.counts.cases = 99;
    await forged.put(manifestKey, new TextEncoder().encode(JSON.stringify(manifest)), 'application/json');
    expect(await verifyExportChain({ store: forged, publicKeyPem })).toMatchObject({ valid: false, manifests: 1, firstProblem: { sequence: 2, problem: expect.stringContaining('signature') } });

    const gap = fresh();
    await twoExports(gap);
    await runExport({ from: '2026-05-05', to: '2026-05-05' }, 'scheduled', depsWith(gap), EXPORTED_AT);
    await gap.remove(exportKeys.chained(2));
    expect(await verifyExportChain({ store: gap, publicKeyPem })).toMatchObject({ valid: false, manifests: 1, firstProblem: { sequence: 2, problem: expect.stringContaining('missing or out of place') } });
  });
});
