/**
 * One text normalisation for every channel (web form, JSON API, email), applied before anything is
 * stored or sent. Control characters have no business in a case: in a single-line field they can
 * fold a header or hide text on a terminal or log viewer, and bidirectional overrides can make a
 * name or subject read differently from what it is (U+202E then "moc.elpmaxe" displays "example.com").
 */

/** Line breaks that are not \n: CR LF, lone CR, NEXT LINE (U+0085), LINE and PARAGRAPH SEPARATOR. */
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;

/** C0 controls other than \t and \n, DEL, and the C1 controls (U+0080–U+009F). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed
const BODY_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder
 * what follows them, so text can display differently from what it says ("Trojan Source"). Bodies
 * lose them too; bodies keep the marks (LRM, RLM, ALM), which mixed right-to-left text needs.
 */
const BIDI_REORDERING = /[\u202A-\u202E\u2066-\u2069]/g;

/** The controls that separate words (tab, line feed, line and form feed): a space in a single line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they become spaces
const WHITESPACE_CONTROLS = /[\t\n\u000B\u000C]/g;

/** Every C0 and C1 control and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed
const LINE_CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * Bidirectional formatting characters (ARABIC LETTER MARK, LRM, RLM, the embeddings and overrides,
 * the isolates), and the zero-width characters that only hide text inside a name or subject
 * (ZERO WIDTH SPACE, WORD JOINER, ZERO WIDTH NO-BREAK SPACE). ZWJ and ZWNJ stay: scripts and emoji need them.
 */
const INVISIBLE_IN_LINE = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

/** Lone surrogates cannot be encoded as UTF-8 (DynamoDB, SES): they become U+FFFD. */
const wellFormed = (s: string): string => s.toWellFormed();

/**
 * A multi-line text (a message, a note): line endings become \n; tabs and line feeds stay; other
 * controls and the bidirectional reordering characters go. Leading and trailing whitespace is left
 * to the caller.
 */
export function cleanBody(s: string): string {
  return wellFormed(s).replace(LINE_BREAKS, '\n').replace(BODY_CONTROLS, '').replace(BIDI_REORDERING, '');
}

/**
 * A single-line field (a name, a subject, an order reference): line breaks and tabs become spaces,
 * every other control and the bidirectional formatting characters go, runs of whitespace become
 * one space, and the ends are trimmed.
 */
export function cleanLine(s: string): string {
  return wellFormed(s)
    .replace(LINE_BREAKS, ' ')
    .replace(WHITESPACE_CONTROLS, ' ')
    .replace(LINE_CONTROLS, '')
    .replace(INVISIBLE_IN_LINE, '')
    .replace(/\s+/g, ' ')
    .trim();
}
