import type { ProjectorStatus } from '@hz/projections';
import { projectionReadiness } from './projection-readiness';

const source = (status: Partial<ProjectorStatus>) => ({
  status: (): ProjectorStatus => ({
    running: true,
    generation: 1,
    checkpoint: undefined,
    rebuilding: null,
    error: null,
    ...status,
  }),
});

describe('projection readiness', () => {
  it('is ready without projections in the process', () => {
    expect(projectionReadiness(undefined, 10n, undefined, undefined)).toEqual(
      expect.objectContaining({ ok: true, state: 'absent' }),
    );
  });

  it('is ready while catching up, with the lag, and once caught up (lag 0)', () => {
    expect(projectionReadiness(source({ checkpoint: 7n }), 10n, undefined, 100)).toEqual(
      expect.objectContaining({ ok: true, state: 'running', lag: '3' }),
    );
    expect(projectionReadiness(source({ checkpoint: 10n }), 10n, undefined, 100)).toEqual(
      expect.objectContaining({ ok: true, state: 'caught_up', lag: '0' }),
    );
  });

  it('is not ready when the follower stopped behind the log', () => {
    expect(
      projectionReadiness(
        source({ running: false, checkpoint: 3n, error: 'disk full' }),
        10n,
        undefined,
        100,
      ),
    ).toEqual(expect.objectContaining({ ok: false, state: 'stopped', error: 'disk full' }));
  });

  it('measures the lag from the read store (an external projector) and is not ready beyond the bound', () => {
    const read = { reachable: true, checkpoint: 90n, lagSeconds: 4.5 };
    expect(projectionReadiness(undefined, 100n, read, 10)).toEqual({
      ok: true,
      state: 'running',
      checkpoint: '90',
      lag: '10',
      lagSeconds: 4.5,
      maxLagEvents: 10,
      error: null,
    });
    expect(projectionReadiness(undefined, 101n, read, 10)).toEqual(
      expect.objectContaining({ ok: false, state: 'lagging', lag: '11' }),
    );
  });

  it('is not ready when the read store does not answer', () => {
    expect(projectionReadiness(source({ checkpoint: 10n }), 10n, { reachable: false }, 10)).toEqual(
      expect.objectContaining({ ok: false, state: 'unreachable' }),
    );
  });
});
