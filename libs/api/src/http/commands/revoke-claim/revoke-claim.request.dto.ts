import { ReasonsField } from '../../validation/fields';

export class RevokeClaimRequest {
  @ReasonsField(1, 'why the grant is revoked') reasons!: string[];
}
