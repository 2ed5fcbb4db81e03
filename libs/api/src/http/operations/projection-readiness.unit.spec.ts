import type { ProjectorStatus } from '@hz/projections';
import { projectionReadiness } from './projection-readiness';

const source = (status: Partial<ProjectorStatus>) => ({
  status: (): ProjectorStatus => ({ running: true, generation: 1, checkpoint: undefined, rebuilding: null, error: null, ...status }),
});

describe('projection readiness', () => {
  it('is ready without projections in the process', () => {
    expect(projectionReadiness(undefined, 10n)).toEqual(expect.objectContaining({ ok: true, state: 'absent' }));
  });

  it('is ready while catching up, with the lag, and once caught up', () => {
    expect(projectionReadiness(source({ checkpoint: 7n }), 10n)).toEqual(expect.objectContaining({ ok: true, state: 'running', lag: '3' }));
    expect(projectionReadiness(source({ checkpoint: 10n }), 10n)).toEqual(expect.objectContaining({ ok: true, state: 'caught_up', lag: null }));
  });

  it('is not ready when the follower stopped behind the log', () => {
    expect(projectionReadiness(source({ running: false, checkpoint: 3n, error: 'disk full' }), 10n)).toEqual(
      expect.objectContaining({ ok: false, state: 'stopped', error: 'disk full' }),
    );
  });
});
