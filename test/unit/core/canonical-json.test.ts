import { canonicalize as reference } from 'json-canonicalize';
import { canonicalize } from '../../../functions/core/canonical-json';

/** A small seeded generator (mulberry32): the same values on every run, so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Text a naive canonicalizer gets wrong: astral characters and surrogates, combining marks, RTL,
// U+2028, control characters, quotes and backslashes, keys that sort differently by code point
// than by UTF-16 unit, integer-like keys (which JavaScript objects enumerate first).
const STRINGS = ['', 'a', 'Zoë', '☕', '𝄞', '👩🏽‍💻', 'e\u0301', 'שלום', '\u2028', '\u0000\u001f', '"\\/', '\ud800', 'ﬀ', '\uffff', '10', '2', '01', '-1', '1e3', 'A', 'b', '[erased]'];
const NUMBERS = [0, -0, 1, -1, 7, 10, 2 ** 31, 2 ** 53 - 1, 1e21, 1e-7, 5e-324, 0.1, 1 / 3, 123456789.125, -4.5e-12, Number.MAX_VALUE];

function value(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const kind = depth > 3 ? Math.floor(next() * 4) : Math.floor(next() * 7);
  switch (kind) {
    case 0:
      return pick(STRINGS) + (next() < 0.3 ? pick(STRINGS) : '');
    case 1:
      return pick(NUMBERS) * (next() < 0.5 ? 1 : -1);
    case 2:
      return pick([true, false, null, undefined]);
    case 3:
      return next() < 0.1 ? new Date(Math.floor(next() * 4e12)) : pick(STRINGS);
    case 4:
      return Array.from({ length: Math.floor(next() * 5) }, () => value(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 7); i > 0; i -= 1) object[pick(STRINGS) + (next() < 0.5 ? pick(STRINGS) : '')] = value(next, depth + 1);
      return object;
    }
  }
}

describe('canonical JSON (M7.3: the text every hash is taken over)', () => {
  it('writes the same text as json-canonicalize for thousands of generated values', () => {
    const next = random(20261130);
    for (let i = 0; i < 5000; i += 1) {
      const v = value(next, 0);
      expect(canonicalize(v)).toBe(reference(v));
    }
  });

  it('sorts keys by UTF-16 code units (𝄞 before ﬀ, unlike code points), integer-like keys included, and writes no whitespace', () => {
    const v = { b: 1, a: [true, null, { '10': 'x', '2': 'y', '𝄞': 1, 'ﬀ': 2 }], A: 'ü' };
    expect(canonicalize(v)).toBe('{"A":"ü","a":[true,null,{"10":"x","2":"y","𝄞":1,"ﬀ":2}],"b":1}');
    expect(canonicalize(v)).toBe(reference(v));
  });

  it('writes numbers as ECMAScript does and refuses the non-finite ones, like the reference', () => {
    expect(canonicalize([1e21, 1e-7, -0, 5e-324, 0.1])).toBe('[1e+21,1e-7,0,5e-324,0.1]');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, { a: Number.NEGATIVE_INFINITY }]) {
      expect(() => canonicalize(bad)).toThrow(/Non-finite number/);
      expect(() => reference(bad)).toThrow(/Non-finite number/);
    }
  });

  it('leaves out undefined values, writes an undefined list element as null and a Date as its ISO text, like the reference', () => {
    const v = { a: undefined, d: new Date('2026-11-30T00:00:00.000Z'), l: [undefined, 1] };
    expect(canonicalize(v)).toBe('{"d":"2026-11-30T00:00:00.000Z","l":[null,1]}');
    expect(canonicalize(v)).toBe(reference(v));
  });
});
