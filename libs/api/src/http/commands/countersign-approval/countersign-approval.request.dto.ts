import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ReasonsField } from '../../validation/fields';

export class CountersignApprovalRequest {
  @ApiProperty({
    enum: ['confirm', 'reject'],
    description: 'the second reviewer confirms or overturns the approval',
  })
  @IsIn(['confirm', 'reject'])
  outcome!: 'confirm' | 'reject';

  @ReasonsField(0, "the countersigner's reasons") reasons!: string[];
}
