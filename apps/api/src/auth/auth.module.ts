import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DashboardSessions } from '../dashboard/dashboard-sessions';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';

/**
 * Authentication for every route (AuthGuard as the global guard): bearer tokens, and the dashboard's session
 * cookie on the routes that accept it. The operations module signs in with the same verifier and sessions.
 */
@Module({
  providers: [TokenVerifier, DashboardSessions, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenVerifier, DashboardSessions],
})
export class AuthModule {}
