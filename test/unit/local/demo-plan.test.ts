import { SEEDED_STAFF } from '../../../local/seeded-staff';
import { DEMO_CHANNELS, DEMO_OUTCOMES, DEMO_TYPES, planDemo, WEB_CASES_PER_WAVE, type DemoPlan } from '../../../local/demo/demo-plan';

const mix = (plan: DemoPlan) => ({
  outcomes: new Set(plan.cases.map((c) => `${c.type}/${c.outcome}`)),
  channels: new Set(plan.cases.map((c) => `${c.type}/${c.channel}`)),
});

describe('the demo plan', () => {
  it('is the same for the same seed and another for another seed (a deterministic demo)', () => {
    expect(JSON.stringify(planDemo({ seed: 7 }))).toBe(JSON.stringify(planDemo({ seed: 7 })));
    expect(JSON.stringify(planDemo({ seed: 7 }))).not.toBe(JSON.stringify(planDemo({ seed: 8 })));
  });

  it.each([200, 20])('with %i cases, has every outcome and every channel for inquiries and complaints', (cases) => {
    const plan = planDemo({ cases });
    expect(plan.cases).toHaveLength(cases);
    const { outcomes, channels } = mix(plan);
    for (const type of DEMO_TYPES) {
      for (const outcome of DEMO_OUTCOMES) expect(outcomes).toContain(`${type}/${outcome}`);
      for (const channel of DEMO_CHANNELS) expect(channels).toContain(`${type}/${channel}`);
    }
    // Some untouched cases stay new (no acknowledgement to an unverified sender) and arrive first: old enough to breach.
    expect(plan.cases.some((c) => c.outcome === 'untouched' && c.unverifiedSender && c.wave === 0)).toBe(true);
    expect(plan.cases.some((c) => c.attachments.length > 0)).toBe(true);
  });

  it('mixes the channels and types as a support desk sees them, and spreads the cases over every wave', () => {
    const plan = planDemo();
    const share = (pick: (c: DemoPlan['cases'][number]) => boolean) => plan.cases.filter(pick).length / plan.cases.length;
    expect(share((c) => c.channel === 'web')).toBeGreaterThan(0.3);
    expect(share((c) => c.channel === 'email')).toBeGreaterThan(0.3);
    expect(share((c) => c.channel === 'phone')).toBeGreaterThan(0.1);
    expect(share((c) => c.type === 'complaint')).toBeGreaterThan(0.25);
    expect(share((c) => c.attachments.length > 0)).toBeGreaterThan(0.1);
    expect(new Set(plan.cases.map((c) => c.wave))).toEqual(new Set(Array.from({ length: plan.waves }, (_, i) => i)));
  });

  it('keeps each wave’s web-form cases under the relay limit of one client, so none is refused', () => {
    const plan = planDemo({ cases: 400 });
    for (let wave = 0; wave < plan.waves; wave++) expect(plan.cases.filter((c) => c.wave === wave && c.channel === 'web').length).toBeLessThanOrEqual(WEB_CASES_PER_WAVE);
  });

  it('uses no real person’s data: example.com addresses, drama-range phone numbers, one address a case, files only on emails, the seeded agents', () => {
    const plan = planDemo();
    for (const c of plan.cases) {
      expect(c.customer.email).toMatch(/^[a-z]+\.[a-z]+\.\d+@example\.com$/);
      expect(c.customer.phone).toMatch(/^\+44 20 7946 0\d{3}$/);
      if (c.channel !== 'email') expect(c.attachments).toEqual([]);
      if (c.unverifiedSender) expect(c.channel).toBe('email');
      expect(SEEDED_STAFF.find((m) => m.id === c.agent)?.roles).toEqual(['agents']);
    }
    expect(new Set(plan.cases.map((c) => c.customer.email)).size).toBe(plan.cases.length);
  });
});
