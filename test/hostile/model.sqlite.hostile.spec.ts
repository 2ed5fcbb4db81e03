// The model-based run on SQLite (a temp data dir): see model.suite.ts.
import { defineModelTest } from './model.suite';

defineModelTest('sqlite');
