import { ConfigurableModuleBuilder, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditLogger } from './audit-logger';
import { AuthGuard, TOKEN_VERIFIER } from './auth.guard';
import { createTokenVerifier, type AuthConfig } from './token';

/** `AuthModule.forRoot(config)` from Nest's builder of configurable modules: the config is its options. */
const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<AuthConfig>().setClassMethodName('forRoot').build();

/** The AuthConfig the module was given. */
export const AUTH_CONFIG = MODULE_OPTIONS_TOKEN;

/** Registers the guard globally, so a new controller is protected unless it opts out with @Public(). */
@Global()
@Module({
  providers: [
    { provide: TOKEN_VERIFIER, useFactory: createTokenVerifier, inject: [AUTH_CONFIG] },
    AuditLogger,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AUTH_CONFIG, TOKEN_VERIFIER, AuditLogger],
})
export class AuthModule extends ConfigurableModuleClass {}
