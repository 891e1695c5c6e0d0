import { Module } from '@nestjs/common';
import { ExecuteReferenceCommandHandler } from './reference-commands';
import { ReferenceController } from './reference.controller';

/** Reference data: partners and their memberships, unit sales, catalog versions (commands and reads). */
@Module({
  controllers: [ReferenceController],
  providers: [ExecuteReferenceCommandHandler],
})
export class ReferenceModule {}
