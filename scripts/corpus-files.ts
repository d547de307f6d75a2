import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Licence, notice and source files that travel with a corpus but are not messages. */
const isLicence = (path: string) => /(^|\/)(LICEN[CS]E|NOTICE|COPYING|SOURCES)(\.[a-z]+)?$/i.test(path);

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

/** Every message file below `dir`, in a stable order (used by the conformance run and the email bench). */
export const corpusFiles = (dir: string): string[] => walk(dir).filter((f) => !isLicence(relative(dir, f)));
