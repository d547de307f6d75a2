import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * docs/compliance-matrix.md stays true: a row for every numbered clause of the protocol, a status
 * from the four, and code and test references that exist. The seed documents are outside the
 * repository (and `npm test` must pass with the repository alone), so their clause ids are listed
 * here, as numbered in the quality manual (M) and the contract (C).
 */
const CLAUSES = [
  'M1.1', 'M1.2', 'M2.1', 'M2.2', 'M3.1', 'M3.2', 'M3.3', 'M4.1', 'M4.2', 'M4.3', 'M5.1', 'M5.2', 'M5.3',
  'M6.1', 'M6.2', 'M6.3', 'M7.1', 'M7.2', 'M7.3', 'M8.1', 'M8.2', 'M8.3', 'M9.1', 'M9.2', 'M9.3', 'M9.4',
  'C1.1', 'C1.2', 'C2.1', 'C2.2', 'C2.3', 'C3.1', 'C3.2', 'C3.3', 'C4.1', 'C4.2', 'C4.3', 'C5.1', 'C5.2', 'C5.3',
  'C6.1', 'C6.2', 'C6.3', 'C7.1', 'C7.2', 'C7.3', 'C8.1', 'C8.2', 'C8.3', 'C9.1', 'C9.2', 'C10',
] as const;

const STATUSES = ['done', 'partial', 'planned', 'out of scope'] as const;

/** The open issues a partial or planned row may name as where the rest comes from ("planned: retention issue"). */
const OPEN_ISSUES = ['exports'] as const;

const ROOT = join(__dirname, '..', '..');
const MATRIX_PATH = 'docs/compliance-matrix.md';
const HEADER = ['clause', 'obligation', 'status', 'what caseflow does', 'code', 'tests'];

interface Row {
  line: number;
  clause: string;
  status: string;
  does: string;
  code: string;
  tests: string;
}

/** The rows of the matrix table (the one whose header is HEADER), and what is wrong with its shape. */
function parseMatrix(doc: string): { rows: Row[]; problems: string[] } {
  const lines = doc.split('\n');
  const cellsOf = (l: string) => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  const start = lines.findIndex((l) => l.trim().startsWith('|') && cellsOf(l).join('|') === HEADER.join('|'));
  if (start < 0) return { rows: [], problems: [`no table with the header | ${HEADER.join(' | ')} |`] };
  const rows: Row[] = [];
  const problems: string[] = [];
  for (let i = start + 2; i < lines.length && (lines[i] ?? '').trim().startsWith('|'); i += 1) {
    const cells = cellsOf(lines[i] ?? '');
    const [clause = '', , status = '', does = '', code = '', tests = ''] = cells;
    if (cells.length !== HEADER.length) problems.push(`line ${i + 1}: ${cells.length} cells, not ${HEADER.length}`);
    rows.push({ line: i + 1, clause, status, does, code, tests });
  }
  return { rows, problems };
}

/** "M3.1 (quality checkpoints)" -> M3.1: one clause id, optionally the bullet the row is about. */
const clauseIdOf = (cell: string): string | undefined => /^([MC]\d+(?:\.\d+)?)(?: \([^()]+\))?$/.exec(cell)?.[1];

/** The backticked names and double-quoted strings of a cell, in order. */
function tokens(cell: string): { kind: 'code' | 'quote'; text: string }[] {
  return [...cell.matchAll(/`([^`]+)`|"([^"]+)"/g)].map((m) => (m[1] !== undefined ? { kind: 'code', text: m[1] } : { kind: 'quote', text: m[2] ?? '' }));
}

const isPath = (token: string) => token.includes('/');
const fileText = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const isFile = (path: string) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile();

/** Whether `name` is (part of) the title of a test or describe block of this test file, not a comment or a string elsewhere. */
function isTestTitle(source: string, name: string): boolean {
  const lines = source.split('\n');
  return lines.some((line, i) => line.includes(name) && lines.slice(Math.max(0, i - 2), i + 1).some((l) => /\b(?:it|test|describe)(?:\.each)?\s*\(/.test(l)));
}

function clauseProblems(rows: readonly Row[]): string[] {
  const problems: string[] = [];
  const known = new Set<string>(CLAUSES);
  const seen = new Set<string>();
  for (const row of rows) {
    const id = clauseIdOf(row.clause);
    if (!id) problems.push(`line ${row.line}: "${row.clause}" is not one clause id (with an optional bullet in parentheses)`);
    else if (!known.has(id)) problems.push(`line ${row.line}: ${id} is no numbered clause of the manual or the contract`);
    else seen.add(id);
  }
  for (const id of CLAUSES) if (!seen.has(id)) problems.push(`${id} has no row`);
  return problems;
}

function statusProblems(rows: readonly Row[]): string[] {
  const problems: string[] = [];
  const issueNamed = new RegExp(`planned: (?:the )?(?:${OPEN_ISSUES.join('|')}) issue`);
  for (const row of rows) {
    const where = `line ${row.line} (${row.clause})`;
    if (!(STATUSES as readonly string[]).includes(row.status)) {
      problems.push(`${where}: status "${row.status}" is none of ${STATUSES.join(', ')}`);
      continue;
    }
    for (const m of row.does.matchAll(/planned:[^.;]*/g)) {
      if (!new RegExp(`^${issueNamed.source}`).test(m[0])) problems.push(`${where}: "${m[0]}" names none of the open issues (${OPEN_ISSUES.join(', ')})`);
    }
    if ((row.status === 'partial' || row.status === 'planned') && !issueNamed.test(row.does)) {
      problems.push(`${where}: a ${row.status} row says which open issue brings the rest ("planned: <issue> issue")`);
    }
    if (row.status === 'out of scope' && row.does.replace(/[—-]/g, '').trim().length < 20) problems.push(`${where}: out of scope, but no reason given`);
    if (row.status === 'done' || row.status === 'partial') {
      if (!tokens(row.code).some((t) => t.kind === 'code' && isPath(t.text))) problems.push(`${where}: a ${row.status} row names the code that does it`);
      if (!tokens(row.tests).some((t) => t.kind === 'code' && isPath(t.text))) problems.push(`${where}: a ${row.status} row names the tests that prove it`);
    }
  }
  return problems;
}

/** Code column: every path exists; a backticked name after a file path occurs in that file. */
function codeProblems(rows: readonly Row[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    /** The file the names that follow belong to; null after a path that is no file (reported already, or a directory). */
    let file: string | null | undefined;
    for (const t of tokens(row.code)) {
      const where = `line ${row.line} (${row.clause}), code`;
      if (t.kind === 'quote') continue;
      if (isPath(t.text)) {
        if (!existsSync(join(ROOT, t.text))) problems.push(`${where}: ${t.text} does not exist`);
        file = isFile(t.text) ? t.text : null;
      } else if (file === undefined) {
        problems.push(`${where}: \`${t.text}\` follows no file path`);
      } else if (file !== null && !fileText(file).includes(t.text)) {
        problems.push(`${where}: \`${t.text}\` is not in ${file}`);
      }
    }
  }
  return problems;
}

/** Tests column: every path is a test file that exists; every quoted name is a test title of the file named before it. */
function testProblems(rows: readonly Row[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    let file: string | undefined;
    for (const t of tokens(row.tests)) {
      const where = `line ${row.line} (${row.clause}), tests`;
      if (t.kind === 'code') {
        file = undefined;
        if (!/^test\/.+\.test\.ts$/.test(t.text)) problems.push(`${where}: \`${t.text}\` is not a test file path`);
        else if (!isFile(t.text)) problems.push(`${where}: ${t.text} does not exist`);
        else file = t.text;
      } else if (!file) {
        problems.push(`${where}: "${t.text}" follows no existing test file`);
      } else if (!isTestTitle(fileText(file), t.text)) {
        problems.push(`${where}: no test of ${file} is called "${t.text}"`);
      }
    }
  }
  return problems;
}

/** Relative links of the document point at files that exist; no issue number is cited (the tracker is not in the repository). */
function documentProblems(doc: string): string[] {
  const problems: string[] = [];
  for (const m of doc.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
    const target = m[1] ?? '';
    if (!/^[a-z]+:/.test(target) && !existsSync(join(ROOT, dirname(MATRIX_PATH), target))) problems.push(`link to ${target}: no such file`);
  }
  for (const m of doc.matchAll(/\bissues?\s*#?\d+/gi)) problems.push(`cites an issue number: "${m[0]}"`);
  return problems;
}

function matrixProblems(doc: string): string[] {
  const { rows, problems } = parseMatrix(doc);
  return [...problems, ...clauseProblems(rows), ...statusProblems(rows), ...codeProblems(rows), ...testProblems(rows), ...documentProblems(doc)];
}

const doc = readFileSync(join(ROOT, MATRIX_PATH), 'utf8');
const { rows } = parseMatrix(doc);

describe('docs/compliance-matrix.md', () => {
  it('has a row for every numbered clause of the quality manual and the contract, and none for a clause they do not have', () => {
    expect(CLAUSES).toHaveLength(52);
    expect(parseMatrix(doc).problems).toEqual([]);
    expect(clauseProblems(rows)).toEqual([]);
  });

  it('gives every row one of the four statuses, a reason when out of scope, and the open issue that brings what a partial or planned row lacks', () => {
    expect(statusProblems(rows)).toEqual([]);
  });

  it('points only at code that exists: every path, and every name given after a file path in that file', () => {
    expect(codeProblems(rows)).toEqual([]);
  });

  it('names only test files that exist, and quotes only tests those files have', () => {
    expect(testProblems(rows)).toEqual([]);
  });

  it('links only to files that exist and cites no issue numbers', () => {
    expect(documentProblems(doc)).toEqual([]);
  });

  it('catches a clause left out, an unknown status, a partial row naming no issue, a missing path or name, and a misquoted test', () => {
    const row = (clause: string, status: string, does: string, code: string, tests: string) => `| ${clause} | x | ${status} | ${does} | ${code} | ${tests} |`;
    const table = (...lines: string[]) => [`| ${HEADER.join(' | ')} |`, '|---|---|---|---|---|---|', ...lines].join('\n');
    /** The problems of a one-row matrix, besides the other clauses' missing rows. */
    const problemsOf = (...lines: string[]) => matrixProblems(table(...lines)).filter((p) => !p.endsWith(' has no row'));
    const good = row('M7.3', 'done', 'Verified.', '`functions/core/audit-chain.ts` `chainEvents`', '`test/unit/core/audit-chain.test.ts` "detects an edited event"');
    expect(problemsOf(good)).toEqual([]);
    expect(matrixProblems(table(good))).toContain('M1.1 has no row');
    expect(problemsOf(good, row('M7.4', 'done', 'x', '', ''))).toContain('line 4: M7.4 is no numbered clause of the manual or the contract');
    expect(problemsOf(row('M7.3', 'mostly', 'x', '', ''))).toEqual(['line 3 (M7.3): status "mostly" is none of done, partial, planned, out of scope']);
    expect(problemsOf(row('M7.3', 'partial', 'Some; the rest later.', '`functions/core/audit-chain.ts`', '`test/unit/core/audit-chain.test.ts`'))).toEqual([
      'line 3 (M7.3): a partial row says which open issue brings the rest ("planned: <issue> issue")',
    ]);
    expect(problemsOf(row('M7.3', 'planned', 'planned: tracker issue.', '', ''))).toContain('line 3 (M7.3): "planned: tracker issue" names none of the open issues (exports)');
    expect(problemsOf(row('C9.1', 'out of scope', '—', '', ''))).toEqual(['line 3 (C9.1): out of scope, but no reason given']);
    expect(problemsOf(good.replace('audit-chain.ts`', 'audit-chains.ts`'))).toContain('line 3 (M7.3), code: functions/core/audit-chains.ts does not exist');
    expect(problemsOf(good.replace('`chainEvents`', '`chainEventz`'))).toEqual(['line 3 (M7.3), code: `chainEventz` is not in functions/core/audit-chain.ts']);
    expect(problemsOf(good.replace('audit-chain.test.ts', 'audit-chains.test.ts'))).toContain('line 3 (M7.3), tests: test/unit/core/audit-chains.test.ts does not exist');
    expect(problemsOf(good.replace('detects an edited event', 'detects an edited evnt'))).toEqual([
      'line 3 (M7.3), tests: no test of test/unit/core/audit-chain.test.ts is called "detects an edited evnt"',
    ]);
    // Text of the test file that is no test's title (here, a fixture's timestamp) does not count.
    expect(problemsOf(good.replace('detects an edited event', '2026-03-02T11:00:00.000Z'))).toEqual([
      'line 3 (M7.3), tests: no test of test/unit/core/audit-chain.test.ts is called "2026-03-02T11:00:00.000Z"',
    ]);
    expect(problemsOf(good.replace('Verified.', 'See issue 9.'))).toEqual(['cites an issue number: "issue 9"']);
  });
});
