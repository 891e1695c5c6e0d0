import { Test } from '@nestjs/testing';
import { type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppModule } from '../app.module';

describe('GET /health', () => {
  let app: INestApplication;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterAll(async () => app.close());

  it('answers ok', async () => {
    const res = await request(app.getHttpServer() as Parameters<typeof request>[0])
      .get('/health')
      .expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});
