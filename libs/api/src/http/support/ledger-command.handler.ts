/**
 * The one thing every write handler does: hand the plain ledger command to the framework-agnostic
 * LedgerService. Each slice declares its own @CommandHandler subclass so the CommandBus routes by class.
 */
import { Inject } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import type { LedgerCommand } from '@hz/ledger';
import { LEDGER_SERVICE } from '../../tokens';
import type { LedgerWriteResult, LedgerWriter } from './ledger-port';

/** A Nest command wrapping one plain ledger command (the style's `Command<T>` at the edge). */
export abstract class LedgerBusCommand<
  TCommand extends LedgerCommand,
> extends Command<LedgerWriteResult> {
  constructor(readonly command: TCommand) {
    super();
  }
}

export abstract class LedgerCommandHandler<TBusCommand extends LedgerBusCommand<LedgerCommand>> {
  constructor(@Inject(LEDGER_SERVICE) private readonly ledger: LedgerWriter) {}

  execute(busCommand: TBusCommand): Promise<LedgerWriteResult> {
    return this.ledger.execute(busCommand.command);
  }
}
