import { TextField } from '../../validation/fields';

export class RaiseIntegrityFlagRequest {
  @TextField('why') reason!: string;
}
