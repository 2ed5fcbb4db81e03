/** Opens the projector lease beside the configured read store (the one place that knows both adapters). */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ReadSideConfig } from '../config';
import { ReadSideConfigError } from '../config';
import { PostgresProjectorLease } from '../postgres/postgres-lease';
import { POSTGRES_READ_DEFAULT_SCHEMA } from '../postgres/schema-name';
import { SqliteProjectorLease } from '../sqlite/sqlite-lease';
import { PROJECTOR_LEASE_NAME, type ProjectorLease } from './projector-lease';

export interface LeaseOptions {
  readonly ttlMs: number;
  /** Unique per process; default host:pid:random. */
  readonly holder?: string;
  readonly name?: string;
}

export function projectorHolderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export async function openProjectorLease(
  config: ReadSideConfig,
  options: LeaseOptions,
): Promise<ProjectorLease> {
  const holder = options.holder ?? projectorHolderId();
  const name = options.name ?? PROJECTOR_LEASE_NAME;
  if (config.readStore === 'sqlite')
    return new SqliteProjectorLease(config.readModelsFile, holder, options.ttlMs, name);
  if (config.databaseUrl === undefined)
    throw new ReadSideConfigError('DATABASE_URL is required when LEDGER_READ_STORE=postgres');
  return PostgresProjectorLease.open({
    connectionString: config.databaseUrl,
    schema: POSTGRES_READ_DEFAULT_SCHEMA,
    holder,
    ttlMs: options.ttlMs,
    name,
  });
}
