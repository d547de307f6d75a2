import type { ActorKind, CaseStatus, CaseType, Channel, DueMilestone, Priority, StaffRole } from '../api/types';

/** Words for the API's values: the console never shows a raw enum to a person. */
export const STATUS_LABEL: Readonly<Record<CaseStatus, string>> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  pending_customer: 'Waiting for customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const TYPE_LABEL: Readonly<Record<CaseType, string>> = { inquiry: 'Inquiry', complaint: 'Complaint' };

export const PRIORITY_LABEL: Readonly<Record<Priority, string>> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export const CHANNEL_LABEL: Readonly<Record<Channel, string>> = { web: 'Web form', email: 'Email', phone: 'Phone', api: 'API' };

export const MILESTONE_LABEL: Readonly<Record<DueMilestone, string>> = {
  acknowledgement: 'Acknowledgement',
  initial_response: 'First response',
  escalation: 'Escalation window',
  escalation_response: 'Escalation response',
  auto_close: 'Auto-close',
};

export const ROLE_LABEL: Readonly<Record<StaffRole, string>> = {
  agents: 'Agents',
  supervisors: 'Supervisors',
  managers: 'Managers',
  feedback: 'Feedback team',
  auditors: 'Auditors',
  admins: 'Administrators',
};

/** One member of a role, for "who did it": "agent", "supervisor"… */
export const ACTOR_LABEL: Readonly<Record<ActorKind, string>> = {
  customer: 'customer',
  agent: 'agent',
  supervisor: 'supervisor',
  manager: 'manager',
  feedback: 'feedback team',
  auditor: 'auditor',
  admin: 'administrator',
  system: 'caseflow',
};

export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
export const STATUSES: readonly CaseStatus[] = ['new', 'acknowledged', 'in_progress', 'pending_customer', 'resolved', 'closed'];
export const OPEN_STATUSES: readonly CaseStatus[] = ['new', 'acknowledged', 'in_progress', 'pending_customer'];
export const isOpen = (status: CaseStatus): boolean => OPEN_STATUSES.includes(status);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A span of time as a person reads it, precise where it matters: seconds in the last hour (the
 * acknowledgement window is 15 minutes), minutes within a day, hours beyond.
 * 45 s → "45s", 12 min 3 s → "12m 03s", 3 h 12 min → "3h 12m", 2 days 4 h → "2d 4h".
 */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.floor(Math.abs(ms) / SECOND) * SECOND);
  if (abs < MINUTE) return `${abs / SECOND}s`;
  if (abs < HOUR) {
    const m = Math.floor(abs / MINUTE);
    const s = Math.floor((abs % MINUTE) / SECOND);
    return `${m}m ${String(s).padStart(2, '0')}s`;
  }
  if (abs < DAY) {
    const h = Math.floor(abs / HOUR);
    const m = Math.floor((abs % HOUR) / MINUTE);
    return `${h}h ${String(m).padStart(2, '0')}m`;
  }
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  return `${d}d ${h}h`;
}

/** A coarse "how long ago" for times that do not tick: "just now", "5 min ago", "3 h ago", "2 days ago". */
export function formatAgo(iso: string, nowMs: number): string {
  const ms = nowMs - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ago`;
  const days = Math.floor(ms / DAY);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** A moment in the reader's time zone: "12 Mar 2026, 14:05"; today's show the time alone when `short`. */
export function formatDateTime(iso: string | undefined, opts: { nowMs?: number; short?: boolean } = {}): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (opts.short && opts.nowMs !== undefined && new Date(opts.nowMs).toDateString() === d.toDateString()) return timeOnly.format(d);
  return dateTime.format(d);
}

export const formatDate = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
};

/** Bytes as "532 B", "14.2 KB", "3.1 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** A call's length: "4 min 05 s", "45 s", "1 h 02 min". */
export function formatCallLength(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

/** The escalation's number as the log names it: ESC-01. */
export const escalationName = (number: number | undefined, level: number): string => `ESC-${String(number ?? level).padStart(2, '0')}`;

/** A field's value in an audit record, as short text. */
export function formatValue(v: unknown): string {
  if (v === undefined) return '(not set)';
  if (v === null) return '(removed)';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
