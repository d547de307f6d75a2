import { cleanBody, cleanLine } from '../../../functions/core/text/normalise-text';

describe('cleaning a single-line field (names, subjects, order references)', () => {
  it.each([
    ['NUL', 'Ann\u0000 Smith'],
    ['BEL', 'Ann\u0007 Smith'],
    ['ESC', 'Ann\u001b Smith'],
    ['DEL', 'Ann\u007f Smith'],
    ['a C1 control (CSI)', 'Ann\u009b Smith'],
    ['RIGHT-TO-LEFT OVERRIDE', 'Ann\u202e Smith'],
    ['a bidirectional isolate', '\u2066Ann\u2069 Smith'],
    ['LEFT-TO-RIGHT and ARABIC LETTER marks', 'Ann\u200e\u200f\u061c Smith'],
    ['ZERO WIDTH SPACE and WORD JOINER', 'Ann\u200b\u2060 Smith'],
  ])('drops %s', (_name, input) => {
    expect(cleanLine(input)).toBe('Ann Smith');
  });

  it.each([
    ['a tab', 'Ann\tSmith'],
    ['a line feed (header injection)', 'Ann\nSmith'],
    ['CR LF', 'Ann\r\nSmith'],
    ['NEXT LINE (U+0085)', 'Ann\u0085Smith'],
    ['LINE SEPARATOR', 'Ann\u2028Smith'],
    ['PARAGRAPH SEPARATOR', 'Ann\u2029Smith'],
    ['a run of spaces and no-break spaces', 'Ann \u00a0  \u3000Smith'],
  ])('turns %s into one space', (_name, input) => {
    expect(cleanLine(input)).toBe('Ann Smith');
  });

  it('trims and keeps letters of every script, accents and emoji', () => {
    expect(cleanLine('  Zoë 山田 \u0645\u0631\u064a\u0645 👩‍💻 ')).toBe('Zoë 山田 \u0645\u0631\u064a\u0645 👩‍💻');
  });

  it('replaces a lone surrogate, which no mail or database encoding can carry', () => {
    expect(cleanLine('Ann\ud800')).toBe('Ann\ufffd');
  });
});

describe('cleaning a body (messages, notes)', () => {
  it('normalises CR LF, lone CR, NEXT LINE and the Unicode line and paragraph separators to \\n', () => {
    expect(cleanBody('one\r\ntwo\rthree\u0085four\u2028five\u2029six')).toBe('one\ntwo\nthree\nfour\nfive\nsix');
  });

  it('keeps line feeds and tabs, and drops the other C0 controls, DEL and the C1 controls', () => {
    expect(cleanBody('a\u0000b\u0007c\u001bd\u000be\u000cf\u007fg\u0080h\u009fi\n\tj')).toBe('abcdefghi\n\tj');
  });

  it('drops the bidirectional embeddings, overrides and isolates, which make text display differently from what it says', () => {
    expect(cleanBody('pay to \u202eNABI\u202c and \u2067x\u2069 \u202a\u202b\u202d\u2066\u2068')).toBe('pay to NABI and x ');
  });

  it('keeps bidirectional marks, which right-to-left text needs', () => {
    expect(cleanBody('\u05e9\u05dc\u05d5\u05dd \u200fabc')).toBe('\u05e9\u05dc\u05d5\u05dd \u200fabc');
  });
});
