/**
 * The jest environment of the e2e suite on PostgreSQL: before a spec file runs, a throwaway database is
 * created and the file's environment says LEDGER_EVENT_STORE=postgres, LEDGER_READ_STORE=postgres and
 * DATABASE_URL, which test/e2e/support/server.ts hands to loadConfig. One database per spec file keeps
 * the files as independent as their temp dirs keep them on SQLite. The database is dropped in teardown,
 * which jest runs after the file's own afterAll hooks have stopped its server and closed its pools.
 */
import { TestEnvironment } from 'jest-environment-node';
// jest loads its environment outside the module registry, so without the tsconfig path aliases.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  createThrowawayDatabase,
  DEFAULT_ADMIN_URL,
  type ThrowawayDatabase,
} from '../../libs/event-store/src/postgres/throwaway-database';

export default class PostgresE2eEnvironment extends TestEnvironment {
  private database: ThrowawayDatabase | undefined;

  override async setup(): Promise<void> {
    await super.setup();
    try {
      this.database = await createThrowawayDatabase('ledger_e2e');
    } catch (error) {
      const server =
        process.env['LEDGER_TEST_POSTGRES_URL'] === undefined
          ? DEFAULT_ADMIN_URL
          : 'LEDGER_TEST_POSTGRES_URL';
      throw new Error(
        `e2e-postgres creates a database per spec file on the PostgreSQL server of ${server}: ${(error as Error).message}`,
      );
    }
    Object.assign(this.global.process.env, {
      LEDGER_EVENT_STORE: 'postgres',
      LEDGER_READ_STORE: 'postgres',
      DATABASE_URL: this.database.connectionString,
    });
  }

  override async teardown(): Promise<void> {
    try {
      await this.database?.drop();
    } finally {
      await super.teardown();
    }
  }
}
