/**
 * Request DTO classes built from the command registry's field specs (libs/ledger command-registry.ts):
 * each field gets the decorators of its kind (fields.ts), which carry both the class-validator rules and
 * the OpenAPI schema, so a command's request is declared once, in its registry entry.
 */
import type { FieldSpecs } from '@hz/ledger';
import { fieldDecorator } from './fields';

const built = new Map<string, new () => object>();

/** The request class `name` (its OpenAPI schema name) with one decorated property per field, in order. */
export function requestDto(name: string, fields: FieldSpecs): new () => object {
  const existing = built.get(name);
  if (existing !== undefined) return existing;
  const dto = { [name]: class {} }[name] as new () => object;
  for (const [property, spec] of Object.entries(fields)) {
    const { decorator, reflected } = fieldDecorator(spec, (itemName, item) =>
      requestDto(`${itemName}Request`, item),
    );
    // What TypeScript's emitDecoratorMetadata would have recorded for a declared property.
    Reflect.defineMetadata('design:type', reflected, dto.prototype, property);
    decorator(dto.prototype, property);
  }
  built.set(name, dto);
  return dto;
}

/** The request class of a command: `${type}Request`, e.g. `SubmitClaimRequest`. */
export function commandRequestDto(definition: {
  readonly type: string;
  readonly fields: FieldSpecs;
}): new () => object {
  return requestDto(`${definition.type}Request`, definition.fields);
}
