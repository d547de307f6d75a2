import { CaseEventSchema } from '../../../functions/core/case-event';
import { caseAttachments, changesSince, onlyBookkeepingSince, orderedTimeline } from '../../../web/console/src/logic/case-timeline';
import { describeEvent } from '../../../web/console/src/logic/timeline';
import { event } from './fixtures';

const EVENT_TYPES = CaseEventSchema.options.map((o) => o.shape.type.value);

describe('the case timeline', () => {
  it('lists events oldest first, newest last, in chain order', () => {
    const ordered = orderedTimeline([event(3, 'note_added'), event(1, 'case_received'), event(2, 'acknowledged')]);
    expect(ordered.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('describes every event type the core records in words of its own (M7.1)', () => {
    expect(EVENT_TYPES.length).toBeGreaterThan(20);
    for (const type of EVENT_TYPES) {
      const view = describeEvent(event(1, type, { kind: 'system' }, {}));
      expect({ type, title: view.title }).not.toEqual({ type, title: type.replace(/_/g, ' ') });
    }
  });

  it('shows the training warning an assignment went through with, in warn mode (C5.3)', () => {
    const view = describeEvent(event(2, 'assignment_changed', { kind: 'supervisor', id: 'sam' }, { to: { id: 'ben', name: 'Ben' }, how: 'assigned', trainingWarning: { courses: ['crm-software'], message: 'Ben lacks required training: CRM software (never trained)' } }));
    expect(view.details).toEqual([{ label: 'Training warning', value: 'Ben lacks required training: CRM software (never trained)' }]);
  });

  it('keeps customer and staff words as plain text, markup and links included, for the view to show as text', () => {
    const view = describeEvent(event(2, 'customer_replied', { kind: 'customer' }, { subject: 'Re: <b>hi</b>', text: '<script>alert(1)</script> https://evil.example', attachments: [] }));
    expect(view.text).toBe('<script>alert(1)</script> https://evil.example');
    expect(view.subject).toBe('Re: <b>hi</b>');
  });

  it('lists each attachment once, even when the customer sent the same file twice', () => {
    const file = { filename: 'receipt.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64), inline: false };
    expect(caseAttachments([{ attachments: [file] }, { attachments: [file, { ...file, filename: 'photo.jpg', sha256: 'b'.repeat(64) }] }]).map((a) => a.filename)).toEqual(['receipt.pdf', 'photo.jpg']);
  });

  it('tells caseflow’s own bookkeeping (a delivery receipt) from another person’s change', () => {
    const seen = [event(1, 'case_received'), event(2, 'agent_replied')];
    expect(onlyBookkeepingSince(2, [...seen, event(3, 'reply_sent', { kind: 'system' })])).toBe(true);
    expect(onlyBookkeepingSince(2, [...seen, event(3, 'reply_sent', { kind: 'system' }), event(4, 'note_added', { kind: 'agent', id: 'bob' })])).toBe(false);
    expect(onlyBookkeepingSince(2, [...seen, event(3, 'escalated', { kind: 'system' })])).toBe(false);
    expect(onlyBookkeepingSince(2, seen)).toBe(false);
  });

  it('judges bookkeeping from the version a draft was written against, not from what a later poll showed', () => {
    // The form opened at version 2; a poll brought a colleague's priority change (3), then a delivery receipt (4).
    const now = [event(1, 'case_received'), event(2, 'agent_replied'), event(3, 'priority_changed', { kind: 'supervisor', id: 'sam' }), event(4, 'reply_sent', { kind: 'system' })];
    expect(onlyBookkeepingSince(2, now)).toBe(false);
    expect(changesSince(2, now).map((e) => e.type)).toEqual(['priority_changed']);
    expect(changesSince(3, now)).toEqual([]);
  });
});
