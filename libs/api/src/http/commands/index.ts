/** Every write slice, registered by LedgerHttpModule. */
import { ClearIntegrityFlagHttpController } from './clear-integrity-flag/clear-integrity-flag.http.controller';
import { ClearIntegrityFlagHandler } from './clear-integrity-flag/clear-integrity-flag.handler';
import { CountersignApprovalHttpController } from './countersign-approval/countersign-approval.http.controller';
import { CountersignApprovalHandler } from './countersign-approval/countersign-approval.handler';
import { DecideAllocationPlanHttpController } from './decide-allocation-plan/decide-allocation-plan.http.controller';
import { DecideAllocationPlanHandler } from './decide-allocation-plan/decide-allocation-plan.handler';
import { DecideClaimHttpController } from './decide-claim/decide-claim.http.controller';
import { DecideClaimHandler } from './decide-claim/decide-claim.handler';
import { RaiseIntegrityFlagHttpController } from './raise-integrity-flag/raise-integrity-flag.http.controller';
import { RaiseIntegrityFlagHandler } from './raise-integrity-flag/raise-integrity-flag.handler';
import { RecordAllocationDisbursementHttpController } from './record-allocation-disbursement/record-allocation-disbursement.http.controller';
import { RecordAllocationDisbursementHandler } from './record-allocation-disbursement/record-allocation-disbursement.handler';
import { RecordDisbursementHttpController } from './record-disbursement/record-disbursement.http.controller';
import { RecordDisbursementHandler } from './record-disbursement/record-disbursement.handler';
import { RecordRecoveryHttpController } from './record-recovery/record-recovery.http.controller';
import { RecordRecoveryHandler } from './record-recovery/record-recovery.handler';
import { RegisterApplicantHttpController } from './register-applicant/register-applicant.http.controller';
import { RegisterApplicantHandler } from './register-applicant/register-applicant.handler';
import { RelocateApplicantHttpController } from './relocate-applicant/relocate-applicant.http.controller';
import { RelocateApplicantHandler } from './relocate-applicant/relocate-applicant.handler';
import { RevokeClaimHttpController } from './revoke-claim/revoke-claim.http.controller';
import { RevokeClaimHandler } from './revoke-claim/revoke-claim.handler';
import { SubmitClaimHttpController } from './submit-claim/submit-claim.http.controller';
import { SubmitClaimHandler } from './submit-claim/submit-claim.handler';
import { WithdrawClaimHttpController } from './withdraw-claim/withdraw-claim.http.controller';
import { WithdrawClaimHandler } from './withdraw-claim/withdraw-claim.handler';

export const COMMAND_CONTROLLERS = [
  ClearIntegrityFlagHttpController,
  CountersignApprovalHttpController,
  DecideAllocationPlanHttpController,
  DecideClaimHttpController,
  RaiseIntegrityFlagHttpController,
  RecordAllocationDisbursementHttpController,
  RecordDisbursementHttpController,
  RecordRecoveryHttpController,
  RegisterApplicantHttpController,
  RelocateApplicantHttpController,
  RevokeClaimHttpController,
  SubmitClaimHttpController,
  WithdrawClaimHttpController,
];

export const COMMAND_HANDLERS = [
  ClearIntegrityFlagHandler,
  CountersignApprovalHandler,
  DecideAllocationPlanHandler,
  DecideClaimHandler,
  RaiseIntegrityFlagHandler,
  RecordAllocationDisbursementHandler,
  RecordDisbursementHandler,
  RecordRecoveryHandler,
  RegisterApplicantHandler,
  RelocateApplicantHandler,
  RevokeClaimHandler,
  SubmitClaimHandler,
  WithdrawClaimHandler,
];
