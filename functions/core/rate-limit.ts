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
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => Number.parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
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
