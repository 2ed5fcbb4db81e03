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
import type { FieldSpec, JsonLike } from '@hz/ledger';
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

export const ChoiceField = (values: readonly string[], description?: string) =>
  applyDecorators(
    IsIn([...values]),
    ApiProperty({
      enum: [...values],
      ...(description === undefined ? {} : { description }),
    }),
  );

export const PlanIdField = (example: string) =>
  applyDecorators(
    Matches(PLAN_ID_PATTERN),
    ApiProperty({ type: String, pattern: PLAN_ID_PATTERN.source, example }),
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

/**
 * The decorators of a registry field spec (libs/ledger command-registry.ts) and the type TypeScript would
 * have reflected for the property. `classOf` builds the request class of a list's items.
 */
export function fieldDecorator(
  spec: FieldSpec,
  classOf: (name: string, fields: { readonly [field: string]: FieldSpec }) => new () => object,
): { readonly decorator: PropertyDecorator; readonly reflected: unknown } {
  switch (spec.kind) {
    case 'uscc':
      return { decorator: UsccField(spec.doc), reflected: String };
    case 'name':
      return { decorator: NameField(spec.doc), reflected: String };
    case 'district':
      return { decorator: DistrictField(spec.doc), reflected: String };
    case 'date':
      return { decorator: DateField(spec.doc), reflected: String };
    case 'dateOrDateTime':
      return { decorator: DateOrDateTimeField(spec.doc), reflected: String };
    case 'reference':
      return { decorator: ReferenceField(spec.doc), reflected: String };
    case 'text':
      return { decorator: TextField(spec.doc), reflected: String };
    case 'optionalText':
      return { decorator: OptionalTextField(spec.doc), reflected: String };
    case 'decimal':
      return { decorator: DecimalField(spec.doc), reflected: String };
    case 'money':
      return {
        decorator:
          spec.onlyWhen === undefined
            ? MoneyField(spec.doc)
            : MoneyWhenField(spec.doc, spec.onlyWhen),
        reflected: String,
      };
    case 'funder':
      return { decorator: FunderField(), reflected: String };
    case 'programCode':
      return { decorator: ProgramCodeField(spec.doc, spec.example), reflected: String };
    case 'planId':
      return { decorator: PlanIdField(spec.example), reflected: String };
    case 'reasons':
      return { decorator: ReasonsField(spec.min, spec.doc), reflected: Array };
    case 'choice':
      return { decorator: ChoiceField(spec.values, spec.doc), reflected: String };
    case 'integer':
      return {
        decorator: IntegerField(spec.doc, spec.min, spec.max, spec.example),
        reflected: Number,
      };
    case 'evidence':
      return { decorator: EvidenceField(spec.doc, spec.example), reflected: Object };
    case 'list':
      return {
        decorator: ListField(classOf(spec.itemName, spec.item), spec.min, spec.max),
        reflected: Array,
      };
  }
}

export { IsDistrictCode, IsUscc };
