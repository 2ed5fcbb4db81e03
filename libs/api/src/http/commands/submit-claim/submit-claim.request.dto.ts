import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsObject, Max, Min } from 'class-validator';
import { MoneyField, UsccField } from '../../validation/fields';
import { IsProgramCode } from '../../validation/validators';

export class SubmitClaimRequest {
  @UsccField("the applicant the claim is filed for (must be the token's own)") applicant!: string;

  @ApiProperty({
    type: String,
    example: 'c3-trademark',
    description: 'program code of docs/policy.md §3',
  })
  @IsProgramCode()
  programCode!: string;

  /** The policy window is a rule (422); this range only keeps absurd values out of the ledger. */
  @ApiProperty({
    type: Number,
    example: 2024,
    description: 'calendar year of the supported activity (2023..2026)',
  })
  @Min(1900)
  @Max(2999)
  @IsInt() // Registered first (decorators apply bottom-up), so a string is reported as "not an integer".
  supportYear!: number;

  @MoneyField('amount requested') requestedAmount!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'program-specific evidence (docs/policy.md §3); checked field by field by the policy engine (400 EVIDENCE.*)',
    example: {
      items: [{ date: '2024-03-01', amount: '100000.00', country: 'US', reference: 'TM-1' }],
    },
  })
  @IsObject()
  evidence!: Record<string, unknown>;
}
