import { PoliciesHttpController } from './policies/policies.http.controller';
import { STREAM_READ_CONTROLLERS } from './stream-reads';

/** Reads served straight from the streams (the projection-backed queries live in libs/api/src/queries). */
export const QUERY_CONTROLLERS = [...STREAM_READ_CONTROLLERS, PoliciesHttpController];
