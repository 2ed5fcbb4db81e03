/**
 * Field decorators shared by the request DTOs: each pairs the validation with its OpenAPI description,
 * so the published contract cannot drift from what the server checks.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { MONEY_PATTERN } from '@hz/money';
import { VIEW_POSITION_PATTERN, type FieldSpec, type FieldSpecs, type JsonLike } from '@hz/ledger';
import { PLAN_ID_PATTERN } from '../support/params';
import { FreeText } from './text-rules';
import {
  IsDecimalString,
  IsDistrictCode,
  IsIsoDate,
  IsIsoDateOrDateTime,
  IsMoneyString,
  IsProgramCode,
  IsReference,
  IsUscc,
  OnlyWhen,
  REFERENCE_PATTERN,
} from './validators';

/** Bounds on free text: enough for a reviewer's reasoning, small enough to keep events and logs sane. */
export const TEXT_MAX_LENGTH = 1000;
export const REASONS_MAX_COUNT = 20;
export const NAME_MAX_LENGTH = 200;
const NOT_BLANK = /\S/;

export const MoneyField = (description: string) =>
  applyDecorators(
    ApiProperty({ type: String, pattern: MONEY_PATTERN.source, example: '200000.00', description }),
    IsMoneyString(),
  );

export const UsccField = (description: string) =>
  applyDecorators(
    ApiProperty({
      type: String,
      minLength: 18,
      maxLength: 18,
      example: '91330106MA2CFXXXXX',
      description: `${description} (GB 32100-2015 USCC)`,
    }),
    IsUscc(),
  );

export const DistrictField = (description: string) =>
  applyDecorators(
    ApiProperty({
      type: String,
      example: 'xihu',
      description: `${description} (district code of docs/policy.md §4)`,
    }),
    IsDistrictCode(),
  );

export const DateField = (description: string) =>
  applyDecorators(
    ApiProperty({ type: String, format: 'date', example: '2024-03-01', description }),
    IsIsoDate(),
  );

export const DateOrDateTimeField = (description: string) =>
  applyDecorators(
    ApiProperty({
      type: String,
      example: '2024-03-01',
      description: `${description} (ISO date or date-time with zone)`,
    }),
    IsIsoDateOrDateTime(),
  );

export const ReferenceField = (description: string) =>
  applyDecorators(
    ApiProperty({
      type: String,
      pattern: REFERENCE_PATTERN.source,
      example: 'PAY-2024-0001',
      description,
    }),
    IsReference(),
  );

export const FunderField = () =>
  applyDecorators(
    ApiProperty({
      enum: ['city', 'district'],
      description: 'who pays: the city or the district treasury',
    }),
    IsIn(['city', 'district']),
  );

/** Free text (a reason): line breaks kept; NUL, other controls and lone surrogates refused (text-rules.ts). */
export const TextField = (description: string, maxLength = TEXT_MAX_LENGTH) =>
  applyDecorators(
    ApiProperty({ type: String, minLength: 1, maxLength, description }),
    FreeText(),
    IsString(),
    Matches(NOT_BLANK, { message: 'must not be blank' }),
    MaxLength(maxLength),
  );

/** A name: single-line text (no controls, bidi or zero-width characters; text-rules.ts), at most 200 characters. */
export const NameField = (description: string, maxLength = NAME_MAX_LENGTH) =>
  applyDecorators(
    ApiProperty({
      type: String,
      minLength: 1,
      maxLength,
      description: `${description}; one line, no control, bidi or zero-width characters`,
    }),
    IsString(),
    Matches(NOT_BLANK, { message: 'must not be blank' }),
    MaxLength(maxLength),
  );

export const OptionalTextField = (description: string, maxLength = TEXT_MAX_LENGTH) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, minLength: 1, maxLength, description }),
    FreeText(),
    IsOptional(),
    IsString(),
    Matches(NOT_BLANK, { message: 'must not be blank' }),
    MaxLength(maxLength),
  );

/** Reasons: an array of non-blank strings, bounded in count and length. */
export const ReasonsField = (minimum: number, description: string) =>
  applyDecorators(
    ApiProperty({ type: [String], minItems: minimum, maxItems: REASONS_MAX_COUNT, description }),
    FreeText(),
    IsArray(),
    ArrayMinSize(minimum),
    ArrayMaxSize(REASONS_MAX_COUNT),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    Matches(NOT_BLANK, { each: true, message: 'each reason must not be blank' }),
    MaxLength(TEXT_MAX_LENGTH, { each: true }),
  );

/** Money sent exactly when another field has a value (an amount only on approvals). */
export const MoneyWhenField = (description: string, when: { field: string; equals: string }) =>
  // Class-validator runs a property's rules in the order registered: OnlyWhen first, the money shape next.
  applyDecorators(
    OnlyWhen((request) => request[when.field] === when.equals, {
      message: (args) => `${args.property} is only sent with ${when.field} "${when.equals}"`,
    }),
    IsMoneyString(),
    ValidateIf(
      (request: Record<string, unknown>, value: unknown) =>
        request[when.field] === when.equals || value !== undefined,
    ),
    ApiPropertyOptional({
      type: String,
      pattern: MONEY_PATTERN.source,
      example: '200000.00',
      description,
    }),
  );

export const ProgramCodeField = (description: string, example: string) =>
  applyDecorators(IsProgramCode(), ApiProperty({ type: String, example, description }));

/** An integer in a range; IsInt is registered first, so a string is reported as "not an integer". */
export const IntegerField = (description: string, min: number, max: number, example: number) =>
  applyDecorators(IsInt(), Max(max), Min(min), ApiProperty({ type: Number, example, description }));

export const EvidenceField = (description: string, example: { readonly [key: string]: JsonLike }) =>
  applyDecorators(
    IsObject(),
    ApiProperty({ type: 'object', additionalProperties: true, description, example }),
  );

export const ChoiceField = (values: readonly string[], description?: string, optional = false) => {
  const doc = { enum: [...values], ...(description === undefined ? {} : { description }) };
  return optional
    ? applyDecorators(IsOptional(), IsIn([...values]), ApiPropertyOptional(doc))
    : applyDecorators(IsIn([...values]), ApiProperty(doc));
};

export const PlanIdField = (example: string) =>
  applyDecorators(
    Matches(PLAN_ID_PATTERN),
    ApiProperty({ type: String, pattern: PLAN_ID_PATTERN.source, example }),
  );

/** An optional log position (a decimal integer, as X-Projection-Position writes it). */
export const PositionField = (description: string) =>
  applyDecorators(
    IsOptional(),
    IsString(),
    Matches(VIEW_POSITION_PATTERN, { message: 'must be a log position (a decimal integer)' }),
    ApiPropertyOptional({
      type: String,
      pattern: VIEW_POSITION_PATTERN.source,
      example: '1042',
      description,
    }),
  );

export const DecimalField = (description: string) =>
  applyDecorators(IsDecimalString(), ApiProperty({ type: String, example: '12.5', description }));

/** A list of objects of another request class, bounded in count. */
export const ListField = (item: new () => object, min: number, max: number) =>
  applyDecorators(
    Type(() => item),
    ValidateNested({ each: true }),
    ArrayMaxSize(max),
    ArrayMinSize(min),
    IsArray(),
    ApiProperty({ type: [item] }),
  );

type ItemClass = (name: string, fields: FieldSpecs) => new () => object;
type DecoratorOf = {
  readonly [K in FieldSpec['kind']]: (
    spec: FieldSpec & { readonly kind: K },
    classOf: ItemClass,
  ) => PropertyDecorator;
};

/** Each kind of registry field spec (libs/ledger command-registry.ts) and its field decorator above. */
const DECORATOR_OF: DecoratorOf = {
  uscc: (spec) => UsccField(spec.doc),
  name: (spec) => NameField(spec.doc),
  district: (spec) => DistrictField(spec.doc),
  date: (spec) => DateField(spec.doc),
  dateOrDateTime: (spec) => DateOrDateTimeField(spec.doc),
  reference: (spec) => ReferenceField(spec.doc),
  text: (spec) => TextField(spec.doc),
  optionalText: (spec) => OptionalTextField(spec.doc),
  decimal: (spec) => DecimalField(spec.doc),
  money: (spec) => (spec.onlyWhen ? MoneyWhenField(spec.doc, spec.onlyWhen) : MoneyField(spec.doc)),
  funder: () => FunderField(),
  position: (spec) => PositionField(spec.doc),
  programCode: (spec) => ProgramCodeField(spec.doc, spec.example),
  planId: (spec) => PlanIdField(spec.example),
  reasons: (spec) => ReasonsField(spec.min, spec.doc),
  choice: (spec) => ChoiceField(spec.values, spec.doc, spec.optional === true),
  integer: (spec) => IntegerField(spec.doc, spec.min, spec.max, spec.example),
  evidence: (spec) => EvidenceField(spec.doc, spec.example),
  list: (spec, classOf) => ListField(classOf(spec.itemName, spec.item), spec.min, spec.max),
};

/** What TypeScript would reflect as `design:type` for a property of the kind; String otherwise. */
const REFLECTED: Partial<Record<FieldSpec['kind'], unknown>> = {
  reasons: Array,
  list: Array,
  integer: Number,
  evidence: Object,
};

/**
 * The decorator of a registry field spec and the type TypeScript would have reflected for the property.
 * `classOf` builds the request class of a list's items.
 */
export function fieldDecorator(
  spec: FieldSpec,
  classOf: ItemClass,
): { readonly decorator: PropertyDecorator; readonly reflected: unknown } {
  const decorate = DECORATOR_OF[spec.kind] as (
    spec: FieldSpec,
    classOf: ItemClass,
  ) => PropertyDecorator;
  return { decorator: decorate(spec, classOf), reflected: REFLECTED[spec.kind] ?? String };
}

export { IsDistrictCode, IsUscc };
