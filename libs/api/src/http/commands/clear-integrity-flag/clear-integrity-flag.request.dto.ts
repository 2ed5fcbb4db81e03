import { TextField } from '../../validation/fields';

export class ClearIntegrityFlagRequest {
  @TextField('why') reason!: string;
}
