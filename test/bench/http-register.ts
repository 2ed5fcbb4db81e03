/**
 * The register request the http benches send (http-profile.ts, http-callgrind.ts): a new applicant with a
 * fresh, valid USCC and idempotency key per request, so every answer is one durable append.
 */
import { randomUUID } from 'node:crypto';
import { usccFromPrefix } from '@hz/ledger';
import type { NextRequest } from './http-load';

/** A generator of register requests under `authorization`; `prefix` keeps two generators' USCCs apart. */
export function registerRequests(authorization: string, prefix = '91330106'): () => NextRequest {
  let serial = Math.floor(Math.random() * 1e8);
  return () => {
    serial += 1;
    const uscc = usccFromPrefix(`${prefix}${String(serial).padStart(9, '0').slice(-9)}`);
    return {
      method: 'POST',
      path: '/api/v1/applicants',
      headers: {
        authorization,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ uscc, name: `Bench ${uscc.slice(-6)}`, district: 'xihu' }),
    };
  };
}
