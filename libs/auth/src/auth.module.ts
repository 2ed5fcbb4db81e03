import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditLogger } from './audit-logger';
import { AuthGuard, TOKEN_VERIFIER } from './auth.guard';
import { createTokenVerifier, type AuthConfig } from './token';

export const AUTH_CONFIG = Symbol.for('hz.AuthConfig');

/** Registers the guard globally, so a new controller is protected unless it opts out with @Public(). */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier(config) },
        AuditLogger,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_CONFIG, TOKEN_VERIFIER, AuditLogger],
    };
  }
}
