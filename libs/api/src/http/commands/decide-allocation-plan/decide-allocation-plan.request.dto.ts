import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches, ValidateNested } from 'class-validator';
import { DateOrDateTimeField, DistrictField, MoneyField } from '../../validation/fields';
import { IsDecimalString } from '../../validation/validators';
import { PLAN_ID_PATTERN } from '../../support/params';

export class DistrictScoreRequest {
  @DistrictField('the district') district!: string;

  @ApiProperty({ type: String, example: '12.5', description: 'non-negative decimal factor score' })
  @IsDecimalString()
  score!: string;
}

/** Hangzhou has 14 district codes; the bound leaves room for a later catalog without unbounded input. */
const MAX_SCORES = 50;

export class DecideAllocationPlanRequest {
  @ApiProperty({ type: String, pattern: PLAN_ID_PATTERN.source, example: 'park-2024' })
  @Matches(PLAN_ID_PATTERN)
  planId!: string;

  @MoneyField('the pool to allocate') pool!: string;

  @ApiProperty({ type: [DistrictScoreRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SCORES)
  @ValidateNested({ each: true })
  @Type(() => DistrictScoreRequest)
  scores!: DistrictScoreRequest[];

  @DateOrDateTimeField('when the plan was decided') decidedAt!: string;
}
