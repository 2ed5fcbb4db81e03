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
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { MONEY_PATTERN } from '@hz/money';
import { FreeText } from './text-rules';
import {
  IsDistrictCode,
  IsIsoDate,
  IsIsoDateOrDateTime,
  IsMoneyString,
  IsReference,
  IsUscc,
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

export { IsDistrictCode, IsUscc };
