/**
 * Request DTO classes built from the command registry's field specs (libs/ledger command-registry.ts):
 * each field gets the decorators of its kind (fields.ts), which carry both the class-validator rules and
 * the OpenAPI schema, so a command's request is declared once, in its registry entry.
 */
import type { FieldSpecs } from '@hz/ledger';
import { fieldDecorator } from './fields';

const built = new Map<string, new () => object>();

/** Each request class built here, with its list fields: the property and the class of its items. */
const listFieldsOf = new Map<new () => object, ReadonlyMap<string, new () => object>>();

/** The request class `name` (its OpenAPI schema name) with one decorated property per field, in order. */
export function requestDto(name: string, fields: FieldSpecs): new () => object {
  const existing = built.get(name);
  if (existing !== undefined) return existing;
  const dto = { [name]: class {} }[name] as new () => object;
  const lists = new Map<string, new () => object>();
  for (const [property, spec] of Object.entries(fields)) {
    const { decorator, reflected } = fieldDecorator(spec, (itemName, item) => {
      const itemDto = requestDto(`${itemName}Request`, item);
      lists.set(property, itemDto);
      return itemDto;
    });
    // What TypeScript's emitDecoratorMetadata would have recorded for a declared property.
    Reflect.defineMetadata('design:type', reflected, dto.prototype, property);
    decorator(dto.prototype, property);
  }
  built.set(name, dto);
  listFieldsOf.set(dto, lists);
  return dto;
}

/**
 * The instance of a request class built here that class-validator checks a JSON body as, made as
 * class-transformer's plainToInstance makes it for these classes (issue 12: plainToInstance was most of
 * what the ValidationPipe still cost per command, 2.3 µs of a registration's 7.3 and 6.7 of a submission's
 * 10.7 in a micro-run; docs/benchmarks.md, "The write path at the machine's limit"): a new instance with
 * every key of the body, and each list field's items as instances of the item class, recursively. Other
 * values are the body's own (class-transformer copies them; the validators only read them). Undefined for
 * a class not built here, or a list field that is not an array of objects: plainToInstance decides those.
 */
export function requestInstance(dto: unknown, body: object): object | undefined {
  const lists = listFieldsOf.get(dto as new () => object);
  if (lists === undefined) return undefined;
  const instance = new (dto as new () => object)() as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    const item = lists.get(key);
    if (item === undefined) {
      instance[key] = value;
      continue;
    }
    if (!Array.isArray(value)) return undefined;
    const items: object[] = [];
    for (const element of value as unknown[]) {
      if (typeof element !== 'object' || element === null || Array.isArray(element))
        return undefined;
      const built = requestInstance(item, element);
      if (built === undefined) return undefined;
      items.push(built);
    }
    instance[key] = items;
  }
  return instance;
}

/** The request class of a command: `${type}Request`, e.g. `SubmitClaimRequest`. */
export function commandRequestDto(definition: {
  readonly type: string;
  readonly fields: FieldSpecs;
}): new () => object {
  return requestDto(`${definition.type}Request`, definition.fields);
}
