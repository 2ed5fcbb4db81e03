/**
 * Issue 13 (docs/benchmarks.md "Verify at the ceiling"): a verify worker thread loads the light entry
 * point @hz/event-store/rows, never the barrel, whose adapters and their clients (pg, the EventStoreDB
 * gRPC client) cost each worker 0.3–0.4 CPU-s to load.
 */
describe('the verify worker thread', () => {
  it('does not load the event store barrel (@hz/event-store)', () => {
    jest.isolateModules(() => {
      jest.doMock('@hz/event-store', () => {
        throw new Error('the verify worker loaded @hz/event-store');
      });
      expect(() => jest.requireActual('./verify-worker')).not.toThrow();
    });
  });

  it('does load what it needs, from @hz/event-store/rows (the spec above sees a real import)', () => {
    jest.isolateModules(() => {
      jest.doMock('@hz/event-store/rows', () => {
        throw new Error('the verify worker loaded @hz/event-store/rows');
      });
      expect(() => jest.requireActual('./verify-worker')).toThrow(/loaded @hz\/event-store\/rows/);
    });
  });
});
