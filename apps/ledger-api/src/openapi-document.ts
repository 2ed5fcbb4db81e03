/**
 * The OpenAPI document without a server listening (docs/architecture.md §6): the real app, built with the
 * embedded SQLite stores in a throw-away data dir, then `buildOpenApiDocument` (libs/api http-app.ts), the
 * same call that serves /api/docs/openapi.json. Run as a script by `npm run openapi` (scripts/openapi.mjs),
 * which writes docs/openapi.json and the dashboard's generated types; openapi-document.int.spec.ts checks it.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '@hz/api';
import { loadConfig } from './config';
import { createApp } from './server';

export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  try {
    const config = loadConfig({
      LEDGER_DATA_DIR: dataDir,
      LEDGER_EVENT_STORE: 'sqlite',
      LEDGER_READ_STORE: 'sqlite',
      LEDGER_DEV_OIDC: '0',
      LEDGER_JWT_SECRET: 'openapi-document-only-secret-never-used-for-tokens',
      LEDGER_DASHBOARD_DIR: join(dataDir, 'no-dashboard'),
    });
    const created = await createApp(config, { logLevels: [] });
    try {
      return buildOpenApiDocument(created.app);
    } finally {
      await created.app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  generateOpenApiDocument().then(
    (document) => process.stdout.write(`${JSON.stringify(document)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
