import { useState } from 'preact/hooks';
import { errorMessage } from '../api/client';

/** A check the person starts with a button (the audit trail's, an archive's): its result, its error, and whether it is running. */
export function useCheck<T>(run: () => Promise<T>) {
  const [result, setResult] = useState<T>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const start = () => {
    setBusy(true);
    setError(undefined);
    run()
      .then(setResult)
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  return { result, error, busy, start };
}
