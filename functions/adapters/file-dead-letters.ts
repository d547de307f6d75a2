import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeadLetter, DeadLetters } from '../core/ports';

/** As SQS's visibility timeout: a letter received is not received again for this long unless removed. */
const VISIBILITY_MS = 120_000;

/**
 * Dead letters as files in a directory (the local stack's stand-in for the SQS queue): one JSON
 * file per letter, written whole then renamed into place, oldest first by name; a letter received
 * is invisible to further receives of this process for a while, as in SQS.
 */
export class FileDeadLetters implements DeadLetters {
  private readonly invisibleUntil = new Map<string, number>();

  constructor(private readonly dir: string) {}

  async send(letter: DeadLetter): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `${Date.now().toString().padStart(15, '0')}-${randomUUID()}.json`;
    const temp = join(this.dir, `.${name}.tmp`);
    await writeFile(temp, JSON.stringify(letter), { mode: 0o600 });
    await rename(temp, join(this.dir, name));
  }

  async receive(max: number): Promise<{ handle: string; letter: DeadLetter }[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const now = Date.now();
    const out: { handle: string; letter: DeadLetter }[] = [];
    for (const name of names) {
      if (out.length >= max) break;
      if ((this.invisibleUntil.get(name) ?? 0) > now) continue;
      this.invisibleUntil.set(name, now + VISIBILITY_MS);
      out.push({ handle: name, letter: JSON.parse(await readFile(join(this.dir, name), 'utf8')) as DeadLetter });
    }
    return out;
  }

  async remove(handle: string): Promise<void> {
    await rm(join(this.dir, handle), { force: true });
    this.invisibleUntil.delete(handle);
  }
}
