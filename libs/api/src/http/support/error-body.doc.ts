import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblemDoc {
  @ApiProperty({ example: 'requestedAmount' }) path!: string;
  @ApiProperty({ example: 'MONEY.NOT_A_STRING' }) code!: string;
  @ApiProperty() message!: string;
}

export class ErrorPayloadDoc {
  @ApiProperty({ example: 'CLAIM.EXCEEDS_CEILING' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({
    description: 'for REQUEST.INVALID an array of FieldProblem; otherwise an object of facts',
  })
  details?: unknown;
}

export class ErrorBodyDoc {
  @ApiProperty({ type: ErrorPayloadDoc }) error!: ErrorPayloadDoc;
}
