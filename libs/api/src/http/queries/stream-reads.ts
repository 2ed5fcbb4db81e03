/**
 * The reads served straight from the decision streams (docs/architecture.md §5: never stale), one table
 * row each: path, parameter, whose data it is, what it reads, and its OpenAPI description. Each row becomes
 * a controller named as before (`GetClaimHttpController.getClaim`), so the operation ids stay.
 */
import { Controller, Get, Inject, type PipeTransform, type Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertMayRead, Roles, ROLES, type AuthUser } from '@hz/auth';
import type { JsonObject } from '@hz/event-store';
import { LEDGER_SERVICE } from '../../tokens';
import { ApiRead } from '../support/api-docs';
import {
  setResponseHeader,
  type HttpRequestLike,
  type HttpResponseLike,
} from '../support/http-types';
import type { LedgerReader } from '../support/ledger-port';
import { applicantOf, ClaimIdParamPipe, UsccParamPipe } from '../support/params';
import { toJsonObject } from '../support/presenters';
import { decorateRoute, named } from '../support/route-factory';
import { ApplicantViewDoc, ClaimHistoryDoc, ClaimViewDoc } from '../support/view-docs';

interface StreamRead {
  /** `GetClaim.getClaim`: the controller (…HttpController) and its method. */
  readonly operation: readonly [controller: string, method: string];
  /** `claims/:id`: the resource (controller path and OpenAPI tag), then the route. */
  readonly path: string;
  readonly pipe: Type<PipeTransform<string, string>>;
  /** The USCC whose data the parameter names: staff read everything, an applicant only its own. */
  readonly owner: (value: string) => string;
  readonly read: (ledger: LedgerReader, value: string) => Promise<unknown>;
  readonly docs: Parameters<typeof ApiRead>;
  /** The read answers `{ body, viewPosition }`: the body is sent, the position as X-View-Position. */
  readonly viewed?: true;
}

/** The log position a claim was read at; a decision sends it back (docs/policy.md §7, "What the reviewer saw"). */
export const VIEW_POSITION_HEADER = 'X-View-Position';

const CLAIM_ID_ERRORS = { 400: 'not a claim id (REQUEST.INVALID)', 404: 'CLAIM.NOT_FOUND' };

const STREAM_READS: readonly StreamRead[] = [
  {
    operation: ['GetApplicant', 'getApplicant'],
    path: 'applicants/:uscc',
    pipe: UsccParamPipe,
    owner: (uscc) => uscc,
    read: (ledger, uscc) => ledger.getApplicant(uscc),
    docs: [
      'An applicant: name, district, integrity flag, its claims (staff; the applicant itself)',
      ApplicantViewDoc,
      [400, 401, 403, 404, 429],
      { 400: 'not a USCC (REQUEST.INVALID)', 404: 'APPLICANT.NOT_FOUND' },
    ],
  },
  {
    // GET /claims/{id}/history: the claim's events with revision, position, actor and hash chain links.
    operation: ['GetClaimHistory', 'getHistory'],
    path: 'claims/:id/history',
    pipe: ClaimIdParamPipe,
    owner: applicantOf,
    read: async (ledger, claimId) => ({
      claimId,
      events: await ledger.getClaimHistory(claimId),
    }),
    docs: [
      'The events of one claim, oldest first (staff; the applicant its own)',
      ClaimHistoryDoc,
      [400, 401, 403, 404, 429],
      CLAIM_ID_ERRORS,
    ],
  },
  {
    operation: ['GetClaim', 'getClaim'],
    path: 'claims/:id',
    pipe: ClaimIdParamPipe,
    owner: applicantOf,
    read: async (ledger, claimId) => {
      const { claim, viewPosition } = await ledger.getViewedClaim(claimId);
      return { body: claim, viewPosition };
    },
    viewed: true,
    docs: [
      'A claim: status, assessment, approval and split, payments, receivables (staff; the applicant its own). ' +
        'X-View-Position names the log position it was read at; a decision sends it back.',
      ClaimViewDoc,
      [400, 401, 403, 404, 429],
      CLAIM_ID_ERRORS,
    ],
  },
];

function streamReadController(row: StreamRead): Type<unknown> {
  const [resource = '', ...rest] = row.path.split('/');
  const param = (rest.find((segment) => segment.startsWith(':')) ?? '').slice(1);
  const [controller, method] = row.operation;

  @ApiTags(resource)
  @Controller(resource)
  class StreamReadHttpController {
    constructor(@Inject(LEDGER_SERVICE) readonly ledger: LedgerReader) {}

    async [method](
      value: string,
      request: HttpRequestLike,
      response: HttpResponseLike,
    ): Promise<JsonObject> {
      assertMayRead(request.user as AuthUser, row.owner(value));
      const answer = await row.read(this.ledger, value);
      if (row.viewed !== true) return toJsonObject(answer);
      const { body, viewPosition } = answer as { body: unknown; viewPosition: string };
      setResponseHeader(response, VIEW_POSITION_HEADER, viewPosition);
      return toJsonObject(body);
    }
  }

  decorateRoute(
    StreamReadHttpController,
    method,
    [{ param, pipe: row.pipe }, 'request', 'response'],
    [Get(rest.join('/')), Roles(...ROLES), ApiRead(...row.docs)],
  );
  return named(StreamReadHttpController, `${controller}HttpController`);
}

/** GET /applicants/{uscc}, /claims/{id}/history, /claims/{id}, in the order the controllers had. */
export const STREAM_READ_CONTROLLERS: readonly Type<unknown>[] =
  STREAM_READS.map(streamReadController);
