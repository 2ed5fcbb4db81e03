/**
 * The runner's working set keeps its applicants least recently used first: prepare() moves each applicant
 * an event touches to the most-recently-used end, once per run of consecutive events of that applicant
 * (issue 13), and evict() forgets from the other end.
 */
import { usccFromPrefix } from '@hz/ledger';
import { Scenario } from '../testing/scenario';
import { projectEvent } from '../model/project-event';
import type { ReadStoreWriter } from '../store/read-store';
import { RunnerState } from './runner-state';

const A = usccFromPrefix('91330109MA2H00001');
const B = usccFromPrefix('91330109MA2H00002');
const C = usccFromPrefix('91330109MA2H00003');

/** A store that must not be asked for anything: every applicant here is new to a generation from 0. */
const NO_STORE = new Proxy({} as ReadStoreWriter, {
  get: (_target, name) => () => {
    throw new Error(`store.${String(name)} called`);
  },
});

/** A state holding A, B and C (registered in that order), bounded to `max` applicants after a commit. */
async function stateWithThree(max: number) {
  const records = new Scenario()
    .register(A, 'xihu')
    .register(B, 'xihu')
    .register(C, 'xihu').records;
  const state = await RunnerState.load(NO_STORE, 1, true, max);
  await state.prepare(records);
  for (const [index, record] of records.entries()) state.apply(projectEvent(state, record, index));
  return state;
}

/** Events of these applicants (relocations: each touches its applicant only). */
function touching(...applicants: string[]) {
  const s = new Scenario();
  for (const applicant of applicants) s.relocate(applicant, 'xihu', 'binjiang');
  return s.records;
}

const kept = (state: RunnerState) =>
  [A, B, C].filter((uscc) => state.applicant(uscc) !== undefined);

describe('RunnerState: least recently used applicants are evicted', () => {
  it('keeps the applicants of the latest events', async () => {
    const state = await stateWithThree(1);
    state.evict();
    expect(kept(state)).toEqual([C]);
  });

  it('moves an applicant touched again after another one, within one batch', async () => {
    const state = await stateWithThree(1);
    await state.prepare(touching(A, B, A));
    state.evict();
    expect(kept(state)).toEqual([A]);
  });

  it('moves an applicant once for a run of its events', async () => {
    const state = await stateWithThree(2);
    await state.prepare(touching(B, B, A, A, A));
    state.evict();
    expect(kept(state)).toEqual([A, B]);
  });
});
