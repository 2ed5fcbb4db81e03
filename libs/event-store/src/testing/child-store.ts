/**
 * How a child process opens "the same store" as the parent's harness, without the child knowing the
 * adapter: the harness names a module, an export and a JSON config.
 */
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { EventStore, JsonValue } from '../port';

export interface ChildStoreSpec {
  /** Absolute path of the module (a .ts file is fine: children run under @swc-node/register). */
  readonly modulePath: string;
  /** The export to call with `config`; it returns the store or a promise of it. */
  readonly exportName: string;
  /** Names the same store the parent uses: a file path, a connection string, ... */
  readonly config: JsonValue;
}

type StoreOpener = (config: JsonValue) => EventStore | Promise<EventStore>;

export function parseChildSpec(text: string | undefined): ChildStoreSpec {
  if (text === undefined) throw new Error('missing child store spec argument');
  const spec = JSON.parse(text) as Partial<ChildStoreSpec>;
  if (
    typeof spec.modulePath !== 'string' ||
    typeof spec.exportName !== 'string' ||
    spec.config === undefined
  ) {
    throw new Error(`malformed child store spec: ${text}`);
  }
  return { modulePath: spec.modulePath, exportName: spec.exportName, config: spec.config };
}

export async function openChildStore(
  spec: ChildStoreSpec,
  load: (path: string) => unknown,
): Promise<EventStore> {
  const loaded = load(spec.modulePath) as Record<string, unknown>;
  const opener = loaded[spec.exportName];
  if (typeof opener !== 'function')
    throw new Error(`${spec.modulePath} has no function export ${spec.exportName}`);
  return (opener as StoreOpener)(spec.config);
}

/**
 * The body of a store child (*.child.ts): opens the store named by the spec in argv[2], says
 * {"ready":true}, answers each JSON command line on stdin with one JSON line, closes the store when stdin
 * ends, and exits 1 with the stack when anything fails.
 */
export function serveStoreChild<TCommand>(
  name: string,
  answer: (store: EventStore, command: TCommand) => Promise<unknown>,
): void {
  const serve = async (): Promise<void> => {
    const store = await openChildStore(parseChildSpec(process.argv[2]), createRequire(__filename));
    process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
    for await (const line of createInterface({ input: process.stdin }))
      process.stdout.write(
        `${JSON.stringify(await answer(store, JSON.parse(line) as TCommand))}\n`,
      );
    await store.close();
  };
  serve().catch((error: unknown) => {
    process.stderr.write(
      `${name} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}
