import { CHORD_MS, createShortcutReader } from '../../../web/console/src/logic/shortcuts';

const key = (k: string, inField = false) => ({ key: k, inField });

describe('the keyboard shortcuts', () => {
  it('maps the frequent actions to one key each', () => {
    const read = createShortcutReader();
    expect(['j', 'k', 'Enter', 'n', 'r', 'c', 'a', '/', '?'].map((k) => read(key(k), 0)?.kind)).toEqual(['next-row', 'previous-row', 'open', 'next-case', 'reply', 'note', 'claim', 'search', 'help']);
  });

  it('leaves keys typed into a field to the field, except Escape', () => {
    const read = createShortcutReader();
    expect(read(key('r', true), 0)).toBeUndefined();
    expect(read(key('a', true), 0)).toBeUndefined();
    expect(read(key('Escape', true), 0)).toEqual({ kind: 'close' });
  });

  it('goes back to the queue with g then q, only while the g is fresh', () => {
    const read = createShortcutReader();
    expect(read(key('g'), 1000)).toBeUndefined();
    expect(read(key('q'), 1000 + CHORD_MS)).toEqual({ kind: 'queue' });
    expect(read(key('g'), 5000)).toBeUndefined();
    expect(read(key('q'), 5001 + CHORD_MS)).toBeUndefined();
  });

  it('ignores keys pressed with a modifier (the browser’s own shortcuts)', () => {
    const read = createShortcutReader();
    expect(read({ key: 'r', ctrlKey: true, inField: false }, 0)).toBeUndefined();
  });
});
