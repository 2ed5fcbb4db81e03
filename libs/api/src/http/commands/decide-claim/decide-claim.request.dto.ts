import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { MONEY_PATTERN } from '@hz/money';
import { ReasonsField } from '../../validation/fields';
import { IsMoneyString, OnlyWhen } from '../../validation/validators';

export class DecideClaimRequest {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  outcome!: 'approve' | 'reject';

  @ApiPropertyOptional({
    type: String,
    pattern: MONEY_PATTERN.source,
    example: '200000.00',
    description: 'required to approve; 0 < amount ≤ ceiling',
  })
  @ValidateIf(
    (request: DecideClaimRequest) => request.outcome === 'approve' || request.amount !== undefined,
  )
  @IsMoneyString()
  @OnlyWhen((request) => request['outcome'] === 'approve', {
    message: 'amount is only sent with outcome "approve"',
  })
  amount?: string;

  @ReasonsField(0, "the reviewer's reasons (a rejection needs at least one)") reasons!: string[];
}
