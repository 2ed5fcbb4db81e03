/**
 * Writes the golden ledger's export and expected read models from a ledger data directory. Run once, by
 * the version that produced the golden ledger (docs/architecture.md, "Event versions and upcasting"):
 *
 *   export LEDGER_DATA_DIR=/tmp/golden
 *   npm run ledger -- demo --applicants 8 --seed 5 --concurrency 1 --quiet      (435 events)
 *   # the event types and programs seed 5 does not reach, through the registered commands:
 *   npm run ledger -- command --type RaiseIntegrityFlag --as golden-ops --key golden-flag-1 ...
 *   npm run ledger -- command --type ClearIntegrityFlag --as golden-ops --key golden-flag-2 ...
 *   npm run ledger -- command --type SubmitClaim --role applicant ... (c5-overseas-warehouse-provincial,
 *     c8-overseas-network-site)
 *   npm run ledger -- seal --out test/golden/seal.json --key <an Ed25519 PEM>
 *   node -r @swc-node/register test/golden/write-golden.ts /tmp/golden
 *
 * Never re-run it to make a failing golden test pass: the committed files are the contract.
 */
import { writeFileSync } from 'node:fs';
import { eventLineOf, ledgerEnvFrom, openLedgerEventStore } from '@hz/audit';
import { allEvents, GOLDEN_LEDGER, GOLDEN_READ_MODELS, replayedReadModels } from './golden-ledger';

async function main(dataDir: string): Promise<void> {
  const ledgerEnv = ledgerEnvFrom({ ...process.env, LEDGER_DATA_DIR: dataDir }, process.cwd());
  const store = await openLedgerEventStore(ledgerEnv, { create: false });
  try {
    const events = await allEvents(store);
    writeFileSync(GOLDEN_LEDGER, `${events.map(eventLineOf).join('\n')}\n`);
    writeFileSync(GOLDEN_READ_MODELS, await replayedReadModels(store));
    process.stdout.write(`wrote ${events.length} events to ${GOLDEN_LEDGER}\n`);
  } finally {
    await store.close();
  }
}

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: write-golden.ts <ledger data dir>');
void main(dataDir);
