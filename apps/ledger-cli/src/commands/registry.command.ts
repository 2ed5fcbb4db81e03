/**
 * `ledger commands` and `ledger command`: the command registry (libs/ledger command-registry.ts,
 * docs/architecture.md §2 "Commands") from the command line. The first lists every registered command
 * with its roles, stream and HTTP route; the second runs any of them through LedgerService on the
 * configured store, with the same rules as the HTTP API (the deciders check roles, ownership and input).
 */
import { randomUUID } from 'node:crypto';
import { LedgerService } from '@hz/application';
import { systemClock } from '@hz/event-store';
import {
  COMMAND_DEFINITIONS,
  commandDefinition,
  isDomainError,
  type CommandDefinition,
  type FieldSpec,
  type LedgerCommand,
  type Role,
} from '@hz/ledger';
import { Money } from '@hz/money';
import { HZ_CBEC_2023 } from '@hz/policy';
import {
  EXIT_OK,
  EXIT_VIOLATION,
  requiredString,
  stringOption,
  UsageError,
  type CommandSpec,
} from '../cli-frame';
import { withLedger } from './with-ledger';

/** `applicant-{uscc}` by claimId: the stream and the command field that names it. */
function streamText(definition: CommandDefinition): string {
  const stream =
    definition.stream.kind === 'applicant' ? 'applicant-{uscc}' : 'allocation-{planId}';
  return `${stream} by ${definition.stream.by}`;
}

function routeText(definition: CommandDefinition): string {
  const { http } = definition;
  return `${http.method} /api/v1/${http.path} → ${http.status}`;
}

function fieldText(name: string, spec: FieldSpec): string {
  const optional =
    spec.kind === 'optionalText' ||
    spec.kind === 'position' ||
    (spec.kind === 'money' && spec.onlyWhen);
  return `${name}${optional ? '?' : ''}:${spec.kind}`;
}

/** The command's data fields: its path parameters, then the body's fields. */
function dataFieldsText(definition: CommandDefinition): string {
  const params = Object.values(definition.http.params).map(
    (param) => `${param.field}:${param.kind}`,
  );
  const fields = Object.entries(definition.fields).map(([name, spec]) => fieldText(name, spec));
  return [...params, ...fields].join(', ');
}

export const commandsCommand: CommandSpec = {
  name: 'commands',
  summary: 'list the registered commands: roles, stream, HTTP route, data fields',
  help: `Usage: ledger commands [--json]

Lists every command of the command registry (libs/ledger/src/command-registry.ts): who may send it, the
stream it is decided on and the field that names it, its HTTP route and status, and its data fields.
Run one with "ledger command --type <Type> --data '<json>'".

Options:
  --json   one JSON array instead of the table`,
  options: { json: { type: 'boolean' } },
  async run(values, io) {
    if (values['json'] === true) {
      const rows = COMMAND_DEFINITIONS.map((definition) => ({
        type: definition.type,
        roles: definition.roles,
        stream: definition.stream,
        http: {
          method: definition.http.method,
          path: `/api/v1/${definition.http.path}`,
          status: definition.http.status,
          summary: definition.http.summary,
        },
        data: [
          ...Object.values(definition.http.params).map((param) => param.field),
          ...Object.keys(definition.fields),
        ],
      }));
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT_OK;
    }
    const lines = COMMAND_DEFINITIONS.flatMap((definition) => [
      `${definition.type}  roles: ${definition.roles.join(', ')}  stream: ${streamText(definition)}`,
      `  ${routeText(definition)}  ${definition.http.summary}`,
      `  data: ${dataFieldsText(definition)}`,
    ]);
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  },
};

function parseData(text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--data is not JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new UsageError('--data must be a JSON object (the command data)');
  return data as Record<string, unknown>;
}

export const commandCommand: CommandSpec = {
  name: 'command',
  summary: 'run one registered command through LedgerService on the configured store',
  help: `Usage: ledger command --type <Type> --data '<json>' [--as <sub>] [--role <role>] [--applicant <uscc>] [--key <key>]

Runs one command of the registry ("ledger commands" lists them) the way the HTTP API does: LedgerService
loads the target stream, the decider checks the role, ownership and every input, and the events are
appended with the idempotency key. Prints the result as JSON: {position, replayed, result}. A refusal
prints {error:{code,message,details}} on stderr and exits 1.

Options:
  --type <Type>        the command type, e.g. RegisterApplicant
  --data <json>        the command data, e.g. '{"uscc":"…","name":"…","district":"xihu"}'
  --as <sub>           the actor recorded in the events (default: cli)
  --role <role>        the role acted in (default: the command's first role)
  --applicant <uscc>   the USCC an applicant acts for (role applicant)
  --key <key>          the idempotency key (default: a random UUID); the same key and data replay

Example:
  ledger command --type RaiseIntegrityFlag --as ops --data '{"uscc":"91330106MA2CFXXXX1","reason":"audit"}'`,
  options: Object.fromEntries(
    ['type', 'data', 'as', 'role', 'applicant', 'key'].map((name) => [name, { type: 'string' }]),
  ),
  async run(values, io) {
    const type = requiredString(values, 'type');
    const definition = commandDefinition(type);
    if (definition === undefined)
      throw new UsageError(
        `unknown command type "${type}": one of ${COMMAND_DEFINITIONS.map((d) => d.type).join(', ')}`,
      );
    const data = parseData(requiredString(values, 'data'));
    const role = (stringOption(values, 'role') ?? definition.roles[0]) as Role;
    const applicant = stringOption(values, 'applicant');
    const key = stringOption(values, 'key') ?? randomUUID();
    const command = {
      type: definition.type,
      data,
      metadata: {
        actor: stringOption(values, 'as') ?? 'cli',
        role,
        ...(applicant === undefined ? {} : { applicant }),
        idempotencyKey: key,
        correlationId: key,
        causationId: key,
      },
    } as unknown as LedgerCommand;
    return withLedger(io, { create: true }, async (context) => {
      const service = new LedgerService({
        store: context.eventStore,
        catalog: HZ_CBEC_2023,
        countersignThreshold: Money.parse(context.ledgerEnv.countersignThreshold),
        clock: systemClock,
      });
      try {
        const outcome = await service.execute(command);
        const body = {
          position: outcome.position,
          replayed: outcome.replayed,
          result: outcome.result,
        };
        io.stdout.write(
          `${JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`,
        );
        return EXIT_OK;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        const refusal = { code: error.code, message: error.message, details: error.details };
        io.stderr.write(`${JSON.stringify({ error: refusal })}\n`);
        return EXIT_VIOLATION;
      }
    });
  },
};
