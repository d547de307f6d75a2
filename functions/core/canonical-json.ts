/**
 * Canonical JSON (RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace, strings
 * and numbers as ECMAScript's JSON.stringify writes them. Every hash of the audit trail, the
 * archives, the anchors and the export manifests is taken over this text (M7.3).
 *
 * The same text as json-canonicalize (the reference; test/unit/core/canonical-json.test.ts compares
 * the two over thousands of generated values), which it replaces on every path that hashes: the
 * reference builds a path string and a closure for every property it visits
 * (for its circular-reference messages), and canonicalizing twice an event was the largest single
 * cost of exporting a case (docs/benchmarks.md, "Compliance exports"). Values here are trees read
 * from JSON or built by the core, never circular; a cycle fails with a RangeError instead of a
 * message naming its path. Like the reference: a non-finite number throws, a value with `toJSON`
 * (a Date) is written as JSON.stringify writes it, a key whose value is undefined is left out and an
 * undefined element of a list is written as null (as the table, which cannot store undefined, keeps them).
 */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value !== 'object' || (value as { toJSON?: unknown }).toJSON != null) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`Non-finite number (${value}) is not permitted in JSON (RFC 8785 §3.2.2.3)`);
    return String(JSON.stringify(value));
  }
  if (Array.isArray(value)) {
    let text = '[';
    // As the reference: an undefined element is written as null.
    for (let i = 0; i < value.length; i += 1) text += (i === 0 ? '' : ',') + canonicalize(value[i] === undefined ? null : value[i]);
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  // As the reference: a key whose value is undefined is left out.
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  let text = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    text += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${canonicalize(object[key])}`;
  }
  return `${text}}`;
}
