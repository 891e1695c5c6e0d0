import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  CATALOG_REPAIR_SCHEMES,
  type CatalogEntry,
  type CatalogRepairScheme,
  PRODUCT_CATEGORIES,
  type ProductCategory,
} from '@app/domain';
import {
  type CatalogVersionSummaryV1,
  type CatalogVersionV1,
  type PartnerV1,
  ReferenceReadModel,
  type UnitSaleV1,
} from '@app/read-models';
import { Type } from 'class-transformer';
import type { Response } from 'express';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Roles } from '../auth/auth.decorators';
import { IdempotencyInterceptor, IdempotencyKeyHeader } from '../http/idempotency.interceptor';
import { IsCalendarDate } from '../http/validation';
import { CommandBody } from '../http/command-body';
import { Ctx } from '../http/request-context';
import type { CommandContext } from '../infrastructure/command-context';
import {
  ExecuteReferenceCommand,
  type ReferenceCommandInput,
  type ReferenceResult,
} from './reference-commands';

const ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Where a created record is read (`Location`): its GET route, the id percent-encoded as one path segment. */
const locationOf = (collection: string, id: string): string => `/${collection}/${encodeURIComponent(id)}`;

export class RegisterPartnerDto {
  @ApiProperty({ example: 'P-001' })
  @Matches(ID, { message: 'partnerId: 1–64 of A–Z a–z 0–9 . _ -' })
  partnerId!: string;
  @ApiProperty({ example: '株式会社サンプル電設' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
}
export class DatedDto {
  @ApiProperty({ example: '2024-04-01' }) @IsCalendarDate() date!: string;
}
export class RecordUnitSaleDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) serialNumber!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) modelNumber!: string;
  @ApiProperty() @Matches(ID, { message: 'partnerId: 1–64 of A–Z a–z 0–9 . _ -' }) partnerId!: string;
  @ApiProperty() @IsCalendarDate() saleDate!: string;
  @ApiProperty() @IsBoolean() soldInJapan!: boolean;
}
export class CatalogEntryDto implements CatalogEntry {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) modelNumber!: string;
  @ApiProperty() @IsString() @MaxLength(200) name!: string;
  @ApiProperty({ enum: PRODUCT_CATEGORIES }) @IsIn(PRODUCT_CATEGORIES) category!: ProductCategory;
  @ApiProperty() @IsBoolean() onCoveredList!: boolean;
  @ApiProperty() @IsBoolean() productWarranty!: boolean;
  @ApiProperty() @IsBoolean() repairable!: boolean;
  // Required, as the document says; null (not repairable / no scheme) is a value, a missing field is a 400.
  @ApiProperty({ enum: CATALOG_REPAIR_SCHEMES, nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsIn(CATALOG_REPAIR_SCHEMES, {
    message: `repairScheme must be ${CATALOG_REPAIR_SCHEMES.join(', ')} or null`,
  })
  repairScheme!: CatalogRepairScheme | null;
}
export class PublishCatalogVersionDto {
  @ApiProperty({ example: '2023-05' }) @IsString() @IsNotEmpty() @MaxLength(64) version!: string;
  @ApiProperty({ example: '2023-05-01' }) @IsCalendarDate() publishedAt!: string;
  @ApiProperty({ type: [CatalogEntryDto] })
  @ValidateNested({ each: true })
  @Type(() => CatalogEntryDto)
  @ArrayMaxSize(1000) // a 64 KB body holds about 400 entries; bulk loads use the CSV import
  entries!: CatalogEntryDto[];
}

/** Reference data maintained by i-PRO staff: partners and memberships, unit sales, covered-list versions. */
@ApiTags('reference data')
@IdempotencyKeyHeader()
@UseInterceptors(IdempotencyInterceptor)
@Controller()
export class ReferenceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reference: ReferenceReadModel,
  ) {}

  /** Bodies arrive as plain data (@CommandBody), as the domain and the store take them. */
  private run(command: ReferenceCommandInput, ctx: CommandContext): Promise<ReferenceResult> {
    return this.commands.execute(new ExecuteReferenceCommand(command, ctx));
  }

  /** A partner command answers with the partner, as `GET /partners/{partnerId}` shows it. */
  private async partnerAfter(command: ReferenceCommandInput, ctx: CommandContext): Promise<PartnerV1> {
    const result = await this.run(command, ctx);
    if (result.kind !== 'partner') throw new Error(`${command.type} answered a ${result.kind}`);
    return result.partner;
  }

  @Post('partners')
  @Roles('support')
  @ApiOperation({
    summary:
      'Register a partner (reseller / installer); answers the partner, Location `/partners/{partnerId}`',
  })
  async register(
    @CommandBody() b: RegisterPartnerDto,
    @Ctx() c: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PartnerV1> {
    const partner = await this.partnerAfter(
      { type: 'RegisterPartner', data: { partnerId: b.partnerId, name: b.name } },
      c,
    );
    res.setHeader('Location', locationOf('partners', partner.partnerId));
    return partner;
  }

  @Post('partners/:partnerId/join-partners-circle')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({ summary: 'The partner joined the Partners Circle on a date; answers the partner' })
  join(
    @Param('partnerId') partnerId: string,
    @CommandBody() b: DatedDto,
    @Ctx() c: CommandContext,
  ): Promise<PartnerV1> {
    return this.partnerAfter({ type: 'JoinPartnersCircle', data: { partnerId, date: b.date } }, c);
  }

  @Post('partners/:partnerId/leave-partners-circle')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({
    summary:
      'The partner left the Partners Circle (date = first day without membership); answers the partner',
  })
  leave(
    @Param('partnerId') partnerId: string,
    @CommandBody() b: DatedDto,
    @Ctx() c: CommandContext,
  ): Promise<PartnerV1> {
    return this.partnerAfter({ type: 'LeavePartnersCircle', data: { partnerId, date: b.date } }, c);
  }

  @Post('partners/:partnerId/certify')
  @HttpCode(200)
  @Roles('support')
  @ApiOperation({
    summary: 'Certify the partner (may replace parts itself, may buy parts); answers the partner',
  })
  certify(
    @Param('partnerId') partnerId: string,
    @CommandBody() b: DatedDto,
    @Ctx() c: CommandContext,
  ): Promise<PartnerV1> {
    return this.partnerAfter({ type: 'CertifyPartner', data: { partnerId, date: b.date } }, c);
  }

  @Get('partners')
  @Roles('support', 'ops', 'auditor')
  @ApiOperation({ summary: 'Partners with membership history' })
  partners(): Promise<PartnerV1[]> {
    return this.reference.partners();
  }

  @Get('partners/:partnerId')
  @Roles('support', 'ops', 'auditor')
  async partner(@Param('partnerId') partnerId: string): Promise<PartnerV1> {
    const row = await this.reference.partner(partnerId);
    if (!row)
      throw new NotFoundException({ code: 'partner_not_found', message: `partner ${partnerId} not found` });
    return row;
  }

  @Post('unit-sales')
  @Roles('support')
  @ApiOperation({
    summary:
      'Record which partner a serial was sold to, and when; answers the sale, Location `/unit-sales/{serial}`',
  })
  async recordSale(
    @CommandBody() b: RecordUnitSaleDto,
    @Ctx() c: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UnitSaleV1> {
    const result = await this.run({ type: 'RecordUnitSale', data: b }, c);
    if (result.kind !== 'unit_sale') throw new Error(`RecordUnitSale answered a ${result.kind}`);
    res.setHeader('Location', locationOf('unit-sales', result.sale.serial));
    return result.sale;
  }

  @Get('unit-sales/:serial')
  @Roles('support', 'ops', 'auditor')
  async sale(@Param('serial') serial: string): Promise<UnitSaleV1> {
    const row = await this.reference.saleOf(serial);
    if (!row)
      throw new NotFoundException({ code: 'sale_not_found', message: `no sales record for ${serial}` });
    return row;
  }

  @Post('catalog/versions')
  @Roles('support')
  @ApiOperation({
    summary:
      'Publish a new version of the catalog and Partners Circle covered list; answers the version, Location `/catalog/versions/{version}`',
  })
  async publish(
    @CommandBody() b: PublishCatalogVersionDto,
    @Ctx() c: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CatalogVersionV1> {
    const entries = b.entries.map((e) => ({ ...e, repairScheme: e.repairScheme ?? null }));
    const result = await this.run(
      { type: 'PublishCatalogVersion', data: { version: b.version, publishedAt: b.publishedAt, entries } },
      c,
    );
    if (result.kind !== 'catalog_version') throw new Error(`PublishCatalogVersion answered a ${result.kind}`);
    res.setHeader('Location', locationOf('catalog/versions', result.catalogVersion.version));
    return result.catalogVersion;
  }

  @Get('catalog/versions')
  @Roles('support', 'ops', 'auditor', 'partner')
  @ApiOperation({ summary: 'Catalog versions (newest first), without their entries' })
  versions(): Promise<CatalogVersionSummaryV1[]> {
    return this.reference.catalogVersions();
  }

  @Get('catalog/versions/:version')
  @Roles('support', 'ops', 'auditor', 'partner')
  async version(@Param('version') version: string): Promise<CatalogVersionV1> {
    const row = await this.reference.catalogVersion(version);
    if (!row)
      throw new NotFoundException({
        code: 'catalog_version_not_found',
        message: `no catalog version ${version}`,
      });
    return row;
  }
}
