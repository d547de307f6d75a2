import type { Wiring } from '../adapters/wiring';
import { staffAuth } from './http/staff-auth';

/** The staff-only middleware: the function's token verifier (from the composition root) and the groups allowed. */
export function staffOnly(app: Pick<Wiring, 'tokenVerifier'>, groups: readonly string[]) {
  return staffAuth(app.tokenVerifier, groups);
}
