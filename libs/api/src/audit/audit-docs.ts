/**
 * OpenAPI shapes of the auditor's endpoints (docs/architecture.md §6): the verify report and a sealed
 * checkpoint, checked against libs/audit's own types so the document cannot drift from them.
 */
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  ALL_CHECKS,
  CHECKPOINT_FORMAT,
  type Checkpoint,
  type CheckName,
  type Finding,
  type VerifyReport,
} from '@hz/audit';
import type { Assert, SameKeys } from '../http/support/view-docs';

export class FindingDoc implements Finding {
  @ApiProperty({ enum: ALL_CHECKS }) check!: CheckName;
  @ApiProperty({ example: 'CAP.EXCEEDED', description: 'stable machine code' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ example: '42' }) position?: string;
  @ApiPropertyOptional() streamId?: string;
  @ApiPropertyOptional({ example: '3' }) revision?: string;
  @ApiPropertyOptional() claimId?: string;
}

export class CheckResultDoc {
  @ApiProperty() ran!: boolean;
  @ApiProperty() violations!: number;
}

export class VerifiedCheckpointDoc {
  @ApiProperty({ example: '1042' }) position!: string;
  @ApiProperty() eventCount!: number;
  @ApiProperty() keyId!: string;
  @ApiProperty() sealedAt!: string;
}

export class VerifyReportDoc {
  @ApiProperty({ description: 'false when any check found a violation' }) ok!: boolean;
  @ApiProperty() verifiedAt!: string;
  @ApiProperty({ example: '1042' }) headPosition!: string;
  @ApiProperty() eventCount!: number;
  @ApiProperty() durationMs!: number;
  @ApiProperty({
    type: 'object',
    description: `one entry per check: ${ALL_CHECKS.join(', ')}`,
    additionalProperties: { $ref: getSchemaPath(CheckResultDoc) },
  })
  checks!: Record<CheckName, CheckResultDoc>;
  @ApiProperty() findingsTotal!: number;
  @ApiProperty({ type: [FindingDoc], description: 'the first findings (bounded)' })
  findings!: FindingDoc[];
  @ApiProperty({
    type: VerifiedCheckpointDoc,
    nullable: true,
    description: 'the newest sealed checkpoint checked, if any',
  })
  checkpoint!: VerifiedCheckpointDoc | null;
  @ApiProperty({ type: [String], description: 'further audits that rode the pass' })
  audits!: string[];
}

export class SealedCheckpointDoc implements Checkpoint {
  @ApiProperty({ enum: [CHECKPOINT_FORMAT] }) format!: typeof CHECKPOINT_FORMAT;
  @ApiProperty({ example: '1042', description: 'position of the last sealed event' })
  position!: string;
  @ApiProperty() eventCount!: number;
  @ApiProperty({ description: 'Merkle root over the event hashes (hex)' }) merkleRoot!: string;
  @ApiProperty() sealedAt!: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({ description: 'SPKI DER, base64' }) publicKey!: string;
  @ApiProperty({ description: 'first 16 hex digits of SHA-256 over the public key' })
  keyId!: string;
  @ApiProperty({ description: 'Ed25519 signature, base64' }) signature!: string;
}

export type AuditDocChecks = [
  Assert<SameKeys<VerifyReportDoc, VerifyReport>>,
  Assert<SameKeys<VerifiedCheckpointDoc, NonNullable<VerifyReport['checkpoint']>>>,
  Assert<SameKeys<FindingDoc, Finding>>,
  Assert<SameKeys<SealedCheckpointDoc, Checkpoint>>,
];
