/**
 * The one command handler of the write side (docs/architecture.md §2 "Commands"): every registered
 * command travels the @nestjs/cqrs CommandBus as a `LedgerBusCommand` and is handed, as the plain ledger
 * command it wraps, to the framework-agnostic LedgerService. The registry, not a class per command, says
 * what a command is; the bus stays the seam where cross-cutting handling (tracing, another transport)
 * can be added without touching the routes.
 */
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { LedgerCommand } from '@hz/ledger';
import { LEDGER_SERVICE } from '../../tokens';
import type { LedgerWriteResult, LedgerWriter } from './ledger-port';

/** A Nest command wrapping one plain ledger command (the style's `Command<T>` at the edge). */
export class LedgerBusCommand extends Command<LedgerWriteResult> {
  constructor(readonly command: LedgerCommand) {
    super();
  }
}

@CommandHandler(LedgerBusCommand)
export class LedgerCommandHandler implements ICommandHandler<LedgerBusCommand, LedgerWriteResult> {
  constructor(@Inject(LEDGER_SERVICE) private readonly ledger: LedgerWriter) {}

  execute(busCommand: LedgerBusCommand): Promise<LedgerWriteResult> {
    return this.ledger.execute(busCommand.command);
  }
}
