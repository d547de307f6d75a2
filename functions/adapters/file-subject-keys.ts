import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openJson, sealJson, type SubjectKey, type SubjectKeys } from '../core/subject-keys';

/**
 * The local key service (the stand-in for KMS and the key table): a master key in
 * `<dir>/master.key`, and each subject's data key wrapped with it (AES-256-GCM) in a file named
 * by a digest of the subject. Destroying a key deletes its file: nothing else holds it (the
 * directory is not in any backup caseflow makes).
 */
export class FileSubjectKeys implements SubjectKeys {
  private master: SubjectKey | undefined;

  constructor(private readonly dir: string) {}

  async keyFor(subjectId: string): Promise<SubjectKey> {
    const found = await this.existing(subjectId);
    if (found) return found;
    const key: SubjectKey = { keyId: randomUUID(), key: randomBytes(32) };
    const wrapped = sealJson(this.masterKey(), { keyId: key.keyId, key: Buffer.from(key.key).toString('base64') }, subjectId);
    const file = this.fileOf(subjectId);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(wrapped), { mode: 0o600 });
    try {
      // Whoever renames first wins; a later one finds the file and uses that key.
      writeFileSync(file, '', { flag: 'wx', mode: 0o600 });
      renameSync(temp, file);
      return key;
    } catch (error) {
      rmSync(temp, { force: true });
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return (await this.existing(subjectId)) ?? key;
    }
  }

  async existing(subjectId: string): Promise<SubjectKey | undefined> {
    let text: string;
    try {
      text = readFileSync(this.fileOf(subjectId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (text === '') return undefined; // being written
    const opened = openJson(this.masterKey(), JSON.parse(text) as never, subjectId) as { keyId: string; key: string };
    return { keyId: opened.keyId, key: Buffer.from(opened.key, 'base64') };
  }

  async destroy(subjectId: string): Promise<'destroyed' | 'absent'> {
    try {
      rmSync(this.fileOf(subjectId));
      return 'destroyed';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      throw error;
    }
  }

  private fileOf(subjectId: string): string {
    return join(this.dir, `${createHash('sha256').update(subjectId).digest('hex')}.json`);
  }

  private masterKey(): SubjectKey {
    if (this.master) return this.master;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, 'master.key');
    try {
      writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    this.master = { keyId: 'local-master', key: readFileSync(file) };
    return this.master;
  }
}
