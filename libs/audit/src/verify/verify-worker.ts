/**
 * A worker thread of verify on threads (issue 13, ./parallel-verify.ts): one partition of the log read and
 * folded by ./partition-pass.ts; what it found is posted back once, at the end, with its event count every
 * PROGRESS_ROWS rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { policyDecisionOracle } from '../invariants/policy-oracle';
import { PartitionPass } from './partition-pass';
import type {
  VerifyPartitionResult,
  VerifyWorkerData,
  VerifyWorkerMessage,
} from './verify-partition';

/** Rows between two progress messages. */
const PROGRESS_ROWS = 5000;

export function verifyPartition(
  data: VerifyWorkerData,
  progress: (events: number) => void,
): VerifyPartitionResult {
  const pass = new PartitionPass(data, data.oracle ? policyDecisionOracle() : undefined);
  while (pass.step(PROGRESS_ROWS)) progress(pass.events);
  return pass.result();
}

function main(): void {
  const port = parentPort;
  const data = workerData as VerifyWorkerData | undefined;
  if (port === null || data?.kind !== 'hz-verify-partition') return;
  try {
    const result = verifyPartition(data, (events) =>
      port.postMessage({ kind: 'progress', events } satisfies VerifyWorkerMessage),
    );
    port.postMessage({ kind: 'done', result } satisfies VerifyWorkerMessage, [
      result.fingerprints.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    port.postMessage({
      kind: 'error',
      name: failure.name,
      message: failure.message,
    } satisfies VerifyWorkerMessage);
  }
  port.close();
}

main();
