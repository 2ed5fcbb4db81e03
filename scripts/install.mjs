// `node scripts/install.mjs`: npm ci from the lockfile unless node_modules already matches it.
import { ensureInstalled } from './lib.mjs';

ensureInstalled();
