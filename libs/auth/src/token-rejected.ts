export type TokenRejectionCode =
  'AUTH.TOKEN_MISSING' | 'AUTH.TOKEN_INVALID' | 'AUTH.TOKEN_EXPIRED' | 'AUTH.CLAIMS_INVALID';

/** Why a token was refused. The message is safe to send to the client (no key material, no stack). */
export class TokenRejected extends Error {
  constructor(
    readonly code: TokenRejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejected';
  }
}
