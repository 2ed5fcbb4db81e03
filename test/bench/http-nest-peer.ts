/**
 * The HTTP adapter side by side (issue 12): one minimal Nest application, the same on Express and on
 * Fastify (`@nestjs/platform-fastify`), with what every ledger command pays before the store: a JSON body,
 * a class-validator DTO through the ValidationPipe (whitelist, forbid unknown fields), a guard, a 201 with a
 * JSON answer. No store: the difference between the two is the adapter's, and the Fastify app is the floor
 * of the framework under the service, which runs on Fastify by default (LEDGER_HTTP_ADAPTER; issue 12).
 */
import 'reflect-metadata';
import {
  Body,
  Controller,
  HttpCode,
  Injectable,
  Module,
  Post,
  UseGuards,
  ValidationPipe,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IsIn, IsString, Length, Matches } from 'class-validator';

class RegisterBody {
  @IsString() @Matches(/^[0-9A-Z]{18}$/) uscc!: string;
  @IsString() @Length(1, 200) name!: string;
  @IsIn(['xihu', 'binjiang', 'yuhang', 'shangcheng', 'gongshu']) district!: string;
}

/** Stands for the bearer check: the header must be there (the ledger's verifies a JWT as well). */
@Injectable()
class BearerPresent implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    return typeof request.headers['authorization'] === 'string';
  }
}

@Controller('applicants')
class RegisterController {
  private position = 0;

  @Post()
  @HttpCode(201)
  @UseGuards(BearerPresent)
  register(@Body() body: RegisterBody): { uscc: string; position: string } {
    this.position += 1;
    return { uscc: body.uscc, position: String(this.position) };
  }
}

@Module({ controllers: [RegisterController], providers: [BearerPresent] })
class BenchModule {}

export type NestAdapter = 'express' | 'fastify';

/** Starts the app on a free port of 127.0.0.1 and returns that port. */
export async function startNestPeer(adapter: NestAdapter): Promise<number> {
  const app: INestApplication =
    adapter === 'fastify'
      ? await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(BenchModule, { logger: false });
  app.setGlobalPrefix('api/v1');
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  return address.port;
}
