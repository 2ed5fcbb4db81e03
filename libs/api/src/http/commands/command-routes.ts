/**
 * The write routes, one per entry of the command registry (libs/ledger command-registry.ts,
 * docs/architecture.md §2 "Commands"): a Nest controller class per command, generated here with its path,
 * path-parameter pipes, request DTO (built from the entry's field specs), roles, status and OpenAPI
 * description. Every route does the same few things: check that an applicant acts for itself, check
 * evidence against the catalog, and hand the plain ledger command to the WriteGateway.
 */
import {
  Controller,
  HttpStatus,
  Inject,
  Post,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { assertActsFor, Roles, type AuthUser, type Role } from '@hz/auth';
import {
  applicantOfCommand,
  COMMAND_DEFINITIONS,
  type ApplicantCommand,
  type CommandDefinition,
  type FieldSpec,
  type FieldSpecs,
  type LedgerCommand,
  type PathParamSpec,
  VIEW_POSITION_PATTERN,
} from '@hz/ledger';
import type { Clock } from '@hz/event-store';
import { businessDateOf } from '@hz/kernel';
import { catalogInForce, type PolicySchedule } from '@hz/policy';
import { CLOCK, POLICIES } from '../../tokens';
import { ApiWrite, type WriteResult } from '../support/api-docs';
import type { HttpRequestLike, HttpResponseLike } from '../support/http-types';
import { ClaimIdParamPipe, PlanIdParamPipe, UsccParamPipe } from '../support/params';
import { presentSubmission, presentWrite } from '../support/presenters';
import { decorateRoute, named } from '../support/route-factory';
import { WriteGateway } from '../support/write-gateway';
import { assertEvidenceValid } from '../validation/policy-lookups';
import { commandRequestDto } from '../validation/request-dto';

const PARAM_PIPES: Readonly<Record<PathParamSpec['kind'], Type<PipeTransform<string, string>>>> = {
  uscc: UsccParamPipe,
  claimId: ClaimIdParamPipe,
  planId: PlanIdParamPipe,
};

/** The body the route answers with, as the OpenAPI document names it (support/api-docs.ts). */
function writeResultOf(definition: CommandDefinition): WriteResult {
  if (definition.http.response === 'submission') return 'claim-submission';
  switch (definition.stream.by) {
    case 'uscc':
      return 'applicant';
    case 'planId':
      return 'allocation';
    default:
      return 'claim';
  }
}

/**
 * The command's data: path parameters first, then the body's fields in the entry's order (a list's items
 * reduced to their declared fields), and the entry's defaults for fields the body left out.
 */
export function commandData(
  definition: CommandDefinition,
  params: Readonly<Record<string, string>>,
  body: Readonly<Record<string, unknown>>,
  headers: HttpRequestLike['headers'] = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = { ...params };
  const defaults: Readonly<Record<string, unknown>> = definition.defaults ?? {};
  for (const [name, spec] of Object.entries(definition.fields)) {
    // A field that may come as a header (X-View-Position): the body's value wins; the decider checks it.
    const value = body[name] ?? headerOf(spec, headers);
    if (value === undefined) {
      if (name in defaults) data[name] = defaults[name];
    } else if (spec.kind === 'list' && Array.isArray(value)) {
      data[name] = value.map((item: Readonly<Record<string, unknown>>) => pick(item, spec.item));
    } else {
      data[name] = value;
    }
  }
  return data;
}

/** The OpenAPI header parameters of the fields that may come as headers. */
function headerDocsOf(definition: CommandDefinition): MethodDecorator[] {
  return Object.entries(definition.fields).flatMap(([name, spec]) =>
    spec.kind === 'position' && spec.header !== undefined
      ? [
          ApiHeader({
            name: spec.header,
            required: false,
            description: `the body field \`${name}\` as a header (the body wins): ${spec.doc}`,
            schema: { type: 'string', pattern: VIEW_POSITION_PATTERN.source },
          }),
        ]
      : [],
  );
}

function headerOf(spec: FieldSpec, headers: HttpRequestLike['headers']): unknown {
  if (spec.kind !== 'position' || spec.header === undefined) return undefined;
  return headers[spec.header.toLowerCase()];
}

function pick(
  item: Readonly<Record<string, unknown>>,
  fields: FieldSpecs,
): Record<string, unknown> {
  return Object.fromEntries(Object.keys(fields).map((name) => [name, item[name]]));
}

/** One controller class for one registry entry (named `${type}HttpController`, as the OpenAPI ids show). */
export function commandController(definition: CommandDefinition): Type<unknown> {
  const { http, type } = definition;
  // `claims/:id/decisions`: the controller's path is the resource, the route's the rest.
  const [resource = '', ...rest] = http.path.split('/');
  const params = Object.entries(http.params);
  const evidence = Object.entries(definition.fields).flatMap(([name, spec]) =>
    spec.kind === 'evidence' ? [{ field: name, programField: spec.programField }] : [],
  );
  const roles: Role[] = [...definition.roles];
  const status = http.status === 201 ? HttpStatus.CREATED : HttpStatus.OK;
  const present = http.response === 'submission' ? presentSubmission : presentWrite;
  const Request = commandRequestDto(definition);

  @ApiTags(resource)
  @Controller(resource)
  class CommandHttpController {
    constructor(
      private readonly gateway: WriteGateway,
      @Inject(POLICIES) private readonly policies: PolicySchedule,
      @Inject(CLOCK) private readonly clock: Clock,
    ) {}

    /** Arguments: the path parameters (in the entry's order), the body, the request, the response. */
    handle(...args: unknown[]) {
      const values = args.slice(0, params.length) as string[];
      const [body, request, response] = args.slice(params.length) as [
        Record<string, unknown>,
        HttpRequestLike,
        HttpResponseLike,
      ];
      const pathData = Object.fromEntries(
        params.map(([, param], index) => [param.field, values[index] ?? '']),
      );
      const data = commandData(definition, pathData, body, request.headers);
      // An applicant acts only for itself (docs/architecture.md §6): 403 before anything is recorded.
      if (roles.includes('applicant')) {
        const owner = applicantOfCommand({ type, data } as unknown as ApplicantCommand);
        assertActsFor(request.user as AuthUser, owner ?? undefined);
      }
      // Malformed evidence is a 400 before anything (the idempotency record included) is written.
      for (const { field, programField } of evidence) {
        // Under the version in force today, as the decider assesses it (docs/policy.md §11).
        assertEvidenceValid(
          catalogInForce(this.policies, businessDateOf(this.clock.now().getTime())),
          data[programField] as string,
          data[field] as Record<string, unknown>,
        );
      }
      return this.gateway.write({
        request,
        response,
        roles,
        status,
        command: (metadata) => ({ type, data, metadata }) as unknown as LedgerCommand,
        present,
      });
    }
  }

  decorateRoute(
    CommandHttpController,
    'handle',
    [
      ...params.map(([name, param]) => ({ param: name, pipe: PARAM_PIPES[param.kind] })),
      { body: Request },
      'request',
      'response',
    ],
    [
      Post(rest.join('/')),
      Roles(...roles),
      ApiWrite(http.summary, status, writeResultOf(definition)),
      ...headerDocsOf(definition),
    ],
  );
  return named(CommandHttpController, `${type}HttpController`);
}

/** Every write route, in the registry's order. */
export const COMMAND_CONTROLLERS: readonly Type<unknown>[] =
  COMMAND_DEFINITIONS.map(commandController);
