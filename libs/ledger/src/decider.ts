/** The decider shape of docs/style.md (after Emmett): three pure functions, no I/O, no clock. */
export interface Decider<TCommand, TState, TEvent, TContext> {
  readonly initialState: () => TState;
  readonly evolve: (state: TState, event: TEvent) => TState;
  readonly decide: (command: TCommand, state: TState, context: TContext) => readonly TEvent[];
}
