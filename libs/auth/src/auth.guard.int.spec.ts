import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule } from './auth.module';
import { CurrentUser, Public, Roles } from './access';
import type { AuthUser } from './roles';
import { mintToken } from './token';

const secret = 'guard-test-secret-of-at-least-32-bytes!!';

@Controller()
class ProbeController {
  @Get('open')
  @Public()
  open(): string {
    return 'open';
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }

  @Get('reviewers')
  @Roles('reviewer')
  reviewers(): string {
    return 'ok';
  }
}

@Module({ imports: [AuthModule.forRoot({ secret })], controllers: [ProbeController] })
class ProbeModule {}

describe('AuthGuard in a Nest app', () => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await NestFactory.create(ProbeModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  const get = async (path: string, token?: string) => {
    const response = await fetch(`${base}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return {
      status: response.status,
      body: (await response.json().catch(() => undefined)) as unknown,
    };
  };

  it('lets @Public routes through without a token', async () => {
    expect((await get('/open')).status).toBe(200);
  });

  it('answers 401 without a token and puts the caller on req.user with one', async () => {
    expect((await get('/me')).status).toBe(401);
    const token = await mintToken({ sub: 'ann', roles: ['auditor'], secret, ttl: 60 });
    expect(await get('/me', token)).toEqual({
      status: 200,
      body: { sub: 'ann', roles: ['auditor'] },
    });
  });

  it('answers 403 for a valid token without the role', async () => {
    const auditor = await mintToken({ sub: 'ann', roles: ['auditor'], secret, ttl: 60 });
    const reviewer = await mintToken({ sub: 'rita', roles: ['reviewer'], secret, ttl: 60 });
    expect((await get('/reviewers', auditor)).status).toBe(403);
    expect((await get('/reviewers', reviewer)).status).toBe(200);
  });

  it('keeps each route to its own rules on every request (read once per route, issue 12)', async () => {
    const auditor = await mintToken({ sub: 'ann', roles: ['auditor'], secret, ttl: 60 });
    const reviewer = await mintToken({ sub: 'rita', roles: ['reviewer'], secret, ttl: 60 });
    const statuses: number[] = [];
    for (let round = 0; round < 2; round += 1) {
      statuses.push((await get('/open')).status);
      statuses.push((await get('/reviewers', auditor)).status);
      statuses.push((await get('/me', auditor)).status);
      statuses.push((await get('/reviewers', reviewer)).status);
      statuses.push((await get('/me')).status);
    }
    expect(statuses).toEqual([200, 403, 200, 200, 401, 200, 403, 200, 200, 401]);
  });
});
