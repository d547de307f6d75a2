import type { CaseType } from '../../functions/core/case';
import {
  AGENT_REPLIES,
  CALL_TRANSCRIPTS,
  COMPLAINT_TOPICS,
  ESCALATION_REASONS,
  FIRST_NAMES,
  INQUIRY_TOPICS,
  LAST_NAMES,
  NOTES,
  RESOLUTIONS,
} from './demo-catalogue';
import { demoAttachments, type DemoAttachment } from './demo-attachments';
import { seededRandom, type SeededRandom } from './seeded-random';

export type DemoChannel = 'web' | 'email' | 'phone';
export const DEMO_CHANNELS: readonly DemoChannel[] = ['web', 'email', 'phone'];
export const DEMO_TYPES: readonly CaseType[] = ['inquiry', 'complaint'];

/**
 * Where staff take a case in the demo. The case's status follows from it: `untouched` stays new
 * (a phone case is opened by the agent on the call, so it is in progress), `acknowledged`,
 * `in-progress` and the escalations are in progress or acknowledged, `pending-customer` waits,
 * `resolved`, `closed`, and `reopened` (resolved, then reopened: in progress again).
 */
export const DEMO_OUTCOMES = ['untouched', 'acknowledged', 'in-progress', 'pending-customer', 'escalated', 'escalation-accepted', 'resolved', 'closed', 'reopened'] as const;
export type DemoOutcome = (typeof DEMO_OUTCOMES)[number];

/** How often each outcome comes up beyond the one of each every demo has. */
const OUTCOME_WEIGHTS: Readonly<Record<DemoOutcome, number>> = {
  untouched: 12,
  acknowledged: 9,
  'in-progress': 16,
  'pending-customer': 10,
  escalated: 7,
  'escalation-accepted': 6,
  resolved: 12,
  closed: 24,
  reopened: 4,
};

/** The staff who work the demo's cases (local/seeded-staff.ts). */
export const DEMO_AGENTS = ['ada-agent', 'ben-agent'] as const;

/**
 * The web form takes 20 submissions an hour from one client (the relay limit): the demo sends all
 * of its own from 127.0.0.1, so a wave holds at most this many.
 */
export const WEB_CASES_PER_WAVE = 18;

export interface DemoCase {
  index: number;
  /** Cases arrive in waves, `waveHours` of clock apart: the first wave's are the oldest. */
  wave: number;
  channel: DemoChannel;
  type: CaseType;
  outcome: DemoOutcome;
  customer: { name: string; email: string; phone: string };
  subject: string;
  message: string;
  /** Files sent with an email (none for the other channels). */
  attachments: DemoAttachment[];
  /**
   * An email whose sender SES could not verify (DMARC failed): the case opens, but no automatic
   * acknowledgement goes to a possibly forged address, so it stays new until staff acknowledge it
   * (and, left alone, breaches M3.1's 15 minutes).
   */
  unverifiedSender: boolean;
  /** The agent who claims it (or took the call). */
  agent: (typeof DEMO_AGENTS)[number];
  reply: string;
  note: string;
  /** An outbound call logged on the case (phone cases have their opening call anyway). */
  call?: { transcript: string; durationSeconds: number };
  escalationReason: string;
  resolution: string;
  priority: 'normal' | 'high' | 'urgent';
}

export interface DemoPlan {
  seed: number;
  waves: number;
  waveHours: number;
  cases: DemoCase[];
}

export interface DemoOptions {
  cases?: number;
  seed?: number;
  waves?: number;
  waveHours?: number;
}

/** The demo's customers per channel: web forms and emails mostly, a fifth by phone. */
const channelOf = (random: SeededRandom): DemoChannel => {
  const r = random.next();
  return r < 0.4 ? 'web' : r < 0.8 ? 'email' : 'phone';
};

function weightedOutcome(random: SeededRandom): DemoOutcome {
  const total = DEMO_OUTCOMES.reduce((sum, o) => sum + OUTCOME_WEIGHTS[o], 0);
  let r = random.next() * total;
  for (const o of DEMO_OUTCOMES) {
    r -= OUTCOME_WEIGHTS[o];
    if (r < 0) return o;
  }
  return 'closed';
}

/**
 * The demo, as data: which cases arrive when, through which channel, and where staff take them.
 * The same options give the same plan. Every outcome comes up for both types, and every channel for
 * both types, whatever the size (from 18 cases); untouched cases of the first wave are old enough to
 * breach their deadlines and, complaints, to be escalated by the SLA workflow.
 */
export function planDemo(opts: DemoOptions = {}): DemoPlan {
  const count = opts.cases ?? 200;
  const seed = opts.seed ?? 20_250_301;
  const waves = opts.waves ?? 8;
  const waveHours = opts.waveHours ?? 4;
  const random = seededRandom(seed);

  // One of every outcome for both types first, the channels taking turns (a case nobody touched
  // comes by web or email: by phone an agent is already on it). Then the mix at random.
  const shapes: { type: CaseType; outcome: DemoOutcome; channel: DemoChannel }[] = [];
  let turn = 0;
  for (const type of DEMO_TYPES) {
    for (const outcome of DEMO_OUTCOMES) {
      // These two come by email from a sender SES could not verify: no automatic acknowledgement, so
      // one stays new and the other is acknowledged by hand.
      const channel = outcome === 'untouched' || outcome === 'acknowledged' ? 'email' : (DEMO_CHANNELS[turn++ % DEMO_CHANNELS.length] ?? 'web');
      shapes.push({ type, outcome, channel });
    }
  }
  while (shapes.length < count) shapes.push({ type: random.chance(0.35) ? 'complaint' : 'inquiry', outcome: weightedOutcome(random), channel: channelOf(random) });

  const webPerWave = new Array<number>(waves).fill(0);
  /** When the case arrives: the covering ones in the first waves (old enough to breach, untouched), the rest anywhere. A web case that finds every wave full writes an email instead. */
  const arrival = (channel: DemoChannel, i: number): { wave: number; channel: DemoChannel } => {
    let wave = i < DEMO_TYPES.length * DEMO_OUTCOMES.length ? i % Math.min(waves, 2) : random.int(0, waves - 1);
    if (channel !== 'web') return { wave, channel };
    for (let tries = 0; (webPerWave[wave] ?? 0) >= WEB_CASES_PER_WAVE; tries++) {
      if (tries === waves) return { wave, channel: 'email' };
      wave = (wave + 1) % waves;
    }
    webPerWave[wave] = (webPerWave[wave] ?? 0) + 1;
    return { wave, channel };
  };

  const cases = shapes.slice(0, count).map((planned, index): DemoCase => {
    const { wave, channel } = arrival(planned.channel, index);
    const shape = { ...planned, channel };
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const topic = random.pick(shape.type === 'complaint' ? COMPLAINT_TOPICS : INQUIRY_TOPICS);
    const covering = index < DEMO_TYPES.length * DEMO_OUTCOMES.length;
    const withFiles = shape.channel === 'email' && (covering || random.chance(0.35));
    return {
      index,
      wave,
      ...shape,
      customer: {
        name: `${first} ${last}`,
        email: `${first}.${last}.${index + 1}@example.com`.toLowerCase(),
        phone: `+44 20 7946 0${String(index % 1000).padStart(3, '0')}`,
      },
      subject: topic.subject,
      message: topic.message,
      attachments: withFiles ? demoAttachments(random, index) : [],
      unverifiedSender: shape.channel === 'email' && (shape.outcome === 'untouched' || shape.outcome === 'acknowledged') && (covering || random.chance(0.5)),
      agent: DEMO_AGENTS[index % DEMO_AGENTS.length] ?? 'ada-agent',
      reply: random.pick(AGENT_REPLIES),
      note: random.pick(NOTES),
      ...(shape.channel !== 'phone' && random.chance(0.25) ? { call: { transcript: random.pick(CALL_TRANSCRIPTS), durationSeconds: random.int(60, 900) } } : {}),
      escalationReason: random.pick(ESCALATION_REASONS),
      resolution: random.pick(RESOLUTIONS),
      priority: shape.type === 'complaint' ? random.pick(['normal', 'high', 'urgent'] as const) : 'normal',
    };
  });
  return { seed, waves, waveHours, cases };
}
