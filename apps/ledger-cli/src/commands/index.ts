import type { CommandSpec } from '../cli-frame';
import { demoCommand } from './demo.command';
import { exportCommand } from './export.command';
import { adjustCommand, closeCommand, verifyPackCommand } from './period.command';
import { commandCommand, commandsCommand } from './registry.command';
import { replayCommand } from './replay.command';
import { sealCommand } from './seal.command';
import { tokenCommand } from './token.command';
import { verifyCommand } from './verify.command';

/** Every command, in the order `ledger --help` lists them. */
export const LEDGER_COMMANDS: readonly CommandSpec[] = [
  replayCommand,
  verifyCommand,
  sealCommand,
  exportCommand,
  closeCommand,
  adjustCommand,
  verifyPackCommand,
  tokenCommand,
  demoCommand,
  commandsCommand,
  commandCommand,
];
