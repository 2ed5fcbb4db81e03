/** `ledger seal`: a signed checkpoint of the log up to now (Merkle root over event hashes, Ed25519). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ledgerEnvFrom, loadOrCreateSealKey, sealLog } from '@hz/audit';
import { EXIT_OK, stringOption, type CommandSpec } from '../cli-frame';
import { progressReporter } from '../progress';
import { withLedger } from './with-ledger';

export const sealCommand: CommandSpec = {
  name: 'seal',
  summary:
    'write a signed checkpoint (Merkle root of the log so far) for a later "verify --checkpoint"',
  help: `Usage: ledger seal [--out <file>] [--key <private-key.pem>] [--progress]

Seals the log as it stands: position and count of the last event, a Merkle root over every event hash
in position order, the time, signed with Ed25519. The checkpoint file carries the public key. Keep it
away from the ledger's machine: "ledger verify --checkpoint <file>" later proves that the log still
begins with exactly these events, which catches a history rewritten with consistently recomputed chains.

Options:
  --out <file>   where to write the checkpoint (default <dataDir>/checkpoints/checkpoint-<position>.json)
  --key <file>   Ed25519 private key (PKCS#8 PEM); default <dataDir>/audit-seal-ed25519.pem, created on first use
  --progress     show a progress bar on stderr even when it is not a terminal`,
  options: { out: { type: 'string' }, key: { type: 'string' }, progress: { type: 'boolean' } },
  async run(values, io) {
    const ledgerEnv = ledgerEnvFrom(io.env, io.cwd);
    const key = loadOrCreateSealKey(ledgerEnv.dataDir, stringOption(values, 'key'));
    if (key.created)
      io.stderr.write(
        `created a sealing key pair in ${dirname(key.path)} (keep the private key safe)\n`,
      );
    const progress = progressReporter(io, 'seal', values['progress'] === true);
    const checkpoint = await withLedger(io, { create: false }, (context) =>
      sealLog(context.eventStore, {
        privateKey: key.privateKey,
        now: new Date(),
        onProgress: (step) => progress.update(step.position, step.untilPosition, step.eventCount),
      }),
    );
    progress.finish();
    const out =
      stringOption(values, 'out') ??
      join(ledgerEnv.dataDir, 'checkpoints', `checkpoint-${checkpoint.position}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(checkpoint, null, 2)}\n`);
    io.stdout.write(
      `sealed ${checkpoint.eventCount} events up to position ${checkpoint.position}\nroot ${checkpoint.merkleRoot}\nkey  ${checkpoint.keyId}\nwritten to ${out}\n`,
    );
    return EXIT_OK;
  },
};
