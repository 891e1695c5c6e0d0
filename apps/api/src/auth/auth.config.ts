import { Injectable } from '@nestjs/common';

export const DEV_AUTH_SECRET = 'dev-only-secret-change-me';

@Injectable()
export class AuthConfig {
  readonly secret: string;
  readonly isDevSecret: boolean;
  constructor() {
    const fromEnv = process.env.AUTH_SECRET;
    if (!fromEnv && process.env.NODE_ENV === 'production') {
      throw new Error('AUTH_SECRET must be set in production');
    }
    this.secret = fromEnv ?? DEV_AUTH_SECRET;
    this.isDevSecret = !fromEnv;
  }
}
