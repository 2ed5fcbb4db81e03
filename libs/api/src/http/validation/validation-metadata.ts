/**
 * class-validator's rules of a class, looked up once per class instead of once per validation (issue 12,
 * docs/benchmarks.md "The write path, session 8": the per-call scan of its metadata). On every validate()
 * class-validator's MetadataStorage filters the class's own rules and walks every class it knows with
 * `instanceof` for inherited ones, then groups the result by property; with the options the API validates
 * with (no schema, no groups, `always` and `strictGroups` off) that answer depends only on the class and on
 * the rules registered so far. So it is remembered per class (a WeakMap: a class that is dropped takes its
 * entry with it) and forgotten whenever a rule is added. Any other options take class-validator's own path.
 * class-validator reads the arrays and the grouping it gets back and never changes them.
 */
import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type RulesByProperty = ReturnType<MetadataStorage['groupByPropertyName']>;

/** Marks a storage whose lookups are already remembered, so installing twice changes nothing. */
const REMEMBERING = Symbol.for('hz.api.rememberedValidationMetadata');

/** Makes `storage` (class-validator's global one by default) remember each class's rules; idempotent. */
export function rememberValidationRules(storage: MetadataStorage = getMetadataStorage()): void {
  const marked = storage as MetadataStorage & { [REMEMBERING]?: true };
  if (marked[REMEMBERING] === true) return;
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const groupByProperty = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let rulesOf = new WeakMap<object, Rules>();
  const grouped = new WeakMap<Rules, RulesByProperty>();
  storage.getTargetValidationMetadatas = (target, targetSchema, always, strictGroups, groups) => {
    if (
      typeof target !== 'function' ||
      targetSchema !== undefined ||
      always ||
      strictGroups ||
      (groups !== undefined && groups.length > 0)
    )
      return lookUp(target, targetSchema, always, strictGroups, groups);
    const known = rulesOf.get(target);
    if (known !== undefined) return known;
    const rules = lookUp(target, targetSchema, always, strictGroups, groups);
    rulesOf.set(target, rules);
    return rules;
  };
  // Keyed by the array itself: a remembered class's rules are grouped once; any other array as before.
  storage.groupByPropertyName = (rules) => {
    const known = grouped.get(rules);
    if (known !== undefined) return known;
    const byProperty = groupByProperty(rules);
    grouped.set(rules, byProperty);
    return byProperty;
  };
  // A new rule (a class decorated later, a schema registered) may belong to any class or its subclasses.
  storage.addValidationMetadata = (metadata) => {
    rulesOf = new WeakMap();
    add(metadata);
  };
  marked[REMEMBERING] = true;
}
