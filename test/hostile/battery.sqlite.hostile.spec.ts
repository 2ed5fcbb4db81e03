// The hostile-client battery on SQLite (a temp data dir): see battery.suite.ts.
import { defineBattery } from './battery.suite';

defineBattery('sqlite');
