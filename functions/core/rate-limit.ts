import { createHash } from 'node:crypto';

/**
 * Fixed-window counters that keep strangers from using caseflow as a relay. One counts the
 * anonymous submissions of a client address per hour (API Gateway throttles a route, not a
 * client); the acknowledgements per recipient live with the case itself (open-case.ts). Counters
 * are keyed by a hash of the subject, never the address itself, and expire with their window.
 */
export interface RateWindow {
  /** What is counted: `submissions`. */
  scope: string;
  /** SHA-256 of the subject (the client's network). */
  subjectHash: string;
  /** The window's start, `YYYY-MM-DDTHH` (UTC). */
  window: string;
  limit: number;
  /** TTL of the counter, epoch seconds. */
  expiresAt: number;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * The client a submission comes from: an IPv4 address, or the /64 of an IPv6 address (what one
 * subscriber is usually given, so an attacker cannot rotate through their own prefix).
 */
export function clientNetwork(sourceIp: string): string {
  const ip = sourceIp.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (!ip.includes(':')) return ip;
  // The WHATWG URL parser writes an IPv6 address in its one canonical form (RFC 5952), with an
  // embedded IPv4 address as two hex groups: `::ffff:198.51.100.7` -> `::ffff:c633:6407`.
  let canonical: string;
  try {
    canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
  const [head = '', tail] = canonical.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = (tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]).map((g) => Number.parseInt(g, 16));
  // An IPv4-mapped address is that IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The submission counter of a client for the hour of `at`. */
export function submissionWindow(sourceIp: string, at: Date, limit: number): RateWindow {
  const windowStart = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
  return {
    scope: 'submissions',
    subjectHash: createHash('sha256').update(clientNetwork(sourceIp)).digest('hex'),
    window: new Date(windowStart).toISOString().slice(0, 13),
    limit,
    expiresAt: Math.floor((windowStart + 2 * HOUR_MS) / 1000),
  };
}

/** Seconds until the window of `at` ends: the client may try again then. */
export const retryAfterSeconds = (at: Date) => Math.ceil((HOUR_MS - (at.getTime() % HOUR_MS)) / 1000);
