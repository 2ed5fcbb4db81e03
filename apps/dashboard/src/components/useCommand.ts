import { useCallback, useRef, useState } from 'react';
import { NetworkError } from '../api/client';
import { newIdempotencyKey } from '../lib/ids';

export type CommandState<R> =
  | { readonly state: 'idle' }
  | { readonly state: 'sending'; readonly key: string }
  | { readonly state: 'done'; readonly key: string; readonly result: R }
  | { readonly state: 'failed'; readonly key: string; readonly error: unknown };

/**
 * Sends one command with an Idempotency-Key generated per submission. Only when the previous attempt
 * of the very same content got no answer (a network failure) is its key reused, so that a retry cannot
 * record the command twice; any other submission gets a fresh key.
 */
export function useCommand<B, R>(
  send: (body: B, idempotencyKey: string) => Promise<R>,
): {
  readonly status: CommandState<R>;
  readonly submit: (body: B) => Promise<R | undefined>;
  readonly reset: () => void;
} {
  const [status, setStatus] = useState<CommandState<R>>({ state: 'idle' });
  const unanswered = useRef<{ fingerprint: string; key: string } | null>(null);
  const sending = useRef(false);

  const submit = useCallback(
    async (body: B): Promise<R | undefined> => {
      if (sending.current) return undefined;
      const fingerprint = JSON.stringify(body);
      const key =
        unanswered.current?.fingerprint === fingerprint
          ? unanswered.current.key
          : newIdempotencyKey();
      sending.current = true;
      setStatus({ state: 'sending', key });
      try {
        const result = await send(body, key);
        unanswered.current = null;
        setStatus({ state: 'done', key, result });
        return result;
      } catch (error) {
        unanswered.current = error instanceof NetworkError ? { fingerprint, key } : null;
        setStatus({ state: 'failed', key, error });
        return undefined;
      } finally {
        sending.current = false;
      }
    },
    [send],
  );
  const reset = useCallback(() => setStatus({ state: 'idle' }), []);
  return { status, submit, reset };
}
