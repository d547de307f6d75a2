import { ApiClient, ApiError } from '../../../web/console/src/api/client';

/** A client whose server answers every change with `status` and `body`. */
function answering(status: number, body: unknown) {
  const sent: { ifMatch: string | null }[] = [];
  const client = new ApiClient({
    base: '/v1',
    token: () => Promise.resolve('token'),
    onUnauthorized: () => undefined,
    fetch: (_input, init) => {
      sent.push({ ifMatch: new Headers(init?.headers).get('If-Match') });
      return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
    },
  });
  return { client, sent };
}

async function refusalOf(status: number, body: unknown, version: number | undefined): Promise<ApiError> {
  const { client } = answering(status, body);
  const error: unknown = await client.send('POST', '/cases/c/resolve', { summary: 'Done' }, version === undefined ? {} : { version }).catch((e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error('expected the change to be refused');
  return error;
}

describe('a refused change, as the console tells it', () => {
  it('tells a complaint refused for its incomplete checklist as that, with the items missing, not as a colleague’s change (M9.2)', async () => {
    const error = await refusalOf(409, { error: 'This complaint cannot be resolved until its resolution checklist is complete (M9.2)', missing: ['empathyShown', 'followUp'], currentVersion: 7 }, 7);
    expect(error.conflict).toBe(false);
    expect(error.refusal).toEqual({ kind: 'refused', message: 'This complaint cannot be resolved until its resolution checklist is complete (M9.2)', missing: ['Empathy shown', 'Follow-up date and plan'] });
  });

  it('tells a state refusal without missing items (a priority set already) by the server’s reason', async () => {
    const error = await refusalOf(409, { error: 'Case CS-7K3M9Q has priority high already', currentVersion: 3 }, 3);
    expect(error.conflict).toBe(false);
    expect(error.refusal).toEqual({ kind: 'refused', message: 'Case CS-7K3M9Q has priority high already', missing: [] });
  });

  it('tells a 409 for a version other than the one sent as a colleague’s change, to reload', async () => {
    const error = await refusalOf(409, { error: 'The case changed since version 3: it is at version 4. Reload it and try again', currentVersion: 4 }, 3);
    expect(error.conflict).toBe(true);
    expect(error.refusal.kind).toBe('conflict');
  });

  it('sends the version given as If-Match', async () => {
    const { client, sent } = answering(200, { case: {} });
    await client.send('POST', '/cases/c/notes', { text: 'x' }, { version: 5 });
    expect(sent).toEqual([{ ifMatch: '"5"' }]);
  });

  it('tells other failures by their message alone', async () => {
    const error = await refusalOf(403, { error: 'Your role does not allow this.' }, 3);
    expect(error.conflict).toBe(false);
    expect(error.refusal).toEqual({ kind: 'error', message: 'Your role does not allow this.' });
  });
});
