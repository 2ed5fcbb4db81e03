/** The write side of the HTTP API, registered by LedgerHttpModule: one route per registry entry, one handler. */
import { LedgerCommandHandler } from '../support/write-gateway';

export { COMMAND_CONTROLLERS, commandController, commandData } from './command-routes';
export const COMMAND_HANDLERS = [LedgerCommandHandler];
