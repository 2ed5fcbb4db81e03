import { ConfigError, loadConfig } from '../config';

/** What loadConfig refuses in `env` (one line per bad setting), or none; for the configuration specs. */
export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, '/srv/ledger');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
