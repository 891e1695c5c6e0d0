import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsObject,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CHARGE_KINDS,
  type ChargeKind,
  EXCLUSION_CODES,
  type ExclusionCode,
  FAILED_COMPONENTS,
  type FailedComponent,
  PROOF_KINDS,
  type ProofKind,
  REJECTION_REASONS,
  type RejectionReason,
} from '@app/domain';
import { IsCalendarDate } from '../http/validation';

/**
 * Edge validation: types, shapes, sizes. Business rules (dates in order, statuses) are the domain's, and so
 * are the enums: every `enum`/`IsIn` list below is the domain's exported constant, never a copy.
 */
const TEXT = 2000;
const SHORT = 200;

export class ProofOfDeliveryDto {
  @ApiProperty({ enum: PROOF_KINDS, description: '納品書 (delivery slip) or similar' })
  @IsIn(PROOF_KINDS)
  kind!: ProofKind;

  @ApiProperty({ description: 'Reference of the document in the partner portal / document store' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SHORT)
  reference!: string;
}

export class SiteDto {
  @ApiProperty({ example: '東京都' }) @IsString() @IsNotEmpty() @MaxLength(SHORT) prefecture!: string;
  @ApiProperty({ description: 'Remote island or remote area (離島・へき地): adds a travel charge onsite' })
  @IsBoolean()
  remoteArea!: boolean;
}

export class OpenTicketOverrideDto {
  @ApiProperty({ description: 'Why this unit needs a second open ticket (recorded in the claim event)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT)
  reason!: string;
}

export class FileRepairRequestDto {
  @ApiProperty({ example: 'SN-S1136-0001' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SHORT)
  serialNumber!: string;
  @ApiProperty({ example: 'WV-S1136' }) @IsString() @IsNotEmpty() @MaxLength(SHORT) modelNumber!: string;
  @ApiProperty({
    example: '2025-04-01',
    description: 'End-user delivery date (納品日): start of every warranty',
  })
  @IsCalendarDate()
  deliveryDate!: string;
  @ApiPropertyOptional({
    type: ProofOfDeliveryDto,
    nullable: true,
    description: 'Omit to file now and send proof later',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProofOfDeliveryDto)
  proofOfDelivery?: ProofOfDeliveryDto | null;
  @ApiProperty({ example: '2025-11-20', description: 'Coverage is decided at this date' })
  @IsCalendarDate()
  failureDate!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) failureDescription!: string;
  @ApiProperty({ enum: FAILED_COMPONENTS })
  @IsIn(FAILED_COMPONENTS)
  failedComponent!: FailedComponent;
  @ApiProperty({ type: SiteDto }) @IsObject() @ValidateNested() @Type(() => SiteDto) site!: SiteDto;
  @ApiProperty({ description: 'Ask for an onsite repair (recorders)' })
  @IsBoolean()
  onsiteRequested!: boolean;
  @ApiPropertyOptional({
    default: true,
    description: 'The warranty is valid only for products used in Japan',
  })
  @IsOptional()
  @IsBoolean()
  usedInJapan?: boolean;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: SHORT,
    description: "The partner's own reference for the end user / site",
    example: 'site-0042',
  })
  @IsOptional()
  @IsString()
  @MaxLength(SHORT)
  endUserReference?: string | null;
  @ApiPropertyOptional({
    example: 'P-001',
    description:
      'Support only, and then required: the partner the request is filed for (partners file for themselves)',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'partnerId: 1–64 of A–Z a–z 0–9 . _ -' })
  partnerId?: string;
  @ApiPropertyOptional({
    type: OpenTicketOverrideDto,
    description:
      'Support only: file although the unit already has an open ticket (otherwise 409 open_ticket_exists)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => OpenTicketOverrideDto)
  overrideOpenTicket?: OpenTicketOverrideDto;
}

export class NoteDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: TEXT, example: 'called the partner' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  note?: string | null;
}

export class SubmitProofOfDeliveryDto {
  @ApiProperty({ type: ProofOfDeliveryDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ProofOfDeliveryDto)
  proof!: ProofOfDeliveryDto;
  @ApiProperty({ description: 'The delivery date the proof shows' })
  @IsCalendarDate()
  deliveryDate!: string;
}

export class ShipmentDto {
  @ApiProperty({ example: 'Yamato Transport' }) @IsString() @IsNotEmpty() @MaxLength(SHORT) carrier!: string;
  @ApiProperty({ example: '1234-5678-9012' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SHORT)
  trackingNumber!: string;
}

export class ShipReplacementDto extends ShipmentDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) replacementSerial!: string;
}

export class DeliveredDto {
  @ApiProperty() @IsCalendarDate() deliveredOn!: string;
}

export class ReceiveFailedUnitDto {
  @ApiProperty() @IsCalendarDate() receivedOn!: string;
  @ApiProperty({ description: 'Serial read off the received unit' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SHORT)
  serialNumber!: string;
}

export class InspectionFindingDto {
  @ApiProperty({
    enum: EXCLUSION_CODES,
    description: 'Exclusions (1)–(6) (免責事項): turn a free repair into a quoted, chargeable one',
  })
  @IsIn(EXCLUSION_CODES)
  exclusion!: ExclusionCode;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) findings!: string;
}

export class PartLineDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) partNumber!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) description!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) quantity!: number;
}

/** An optional list of parts (replaced, brought, used): at most 50 lines, each validated as a PartLineDto. */
function PartLines(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [PartLineDto] }),
    IsOptional(),
    ValidateNested({ each: true }),
    Type(() => PartLineDto),
    ArrayMaxSize(50),
  );
}

export class CompleteRepairDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) workSummary!: string;
  @PartLines()
  partsReplaced?: PartLineDto[];
}

export class DispatchOnsiteDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) technicianName!: string;
  @ApiProperty() @IsCalendarDate() visitDate!: string;
  @PartLines()
  parts?: PartLineDto[];
}

export class CompleteOnsiteRepairDto {
  @ApiProperty() @IsCalendarDate() completedOn!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) workSummary!: string;
  @PartLines()
  partsUsed?: PartLineDto[];
}

export class QuoteLineDto {
  @ApiProperty({ enum: CHARGE_KINDS })
  @IsIn(CHARGE_KINDS)
  kind!: ChargeKind;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) description!: string;
  @ApiProperty({ description: 'Whole yen' }) @IsInt() @Min(0) amountJpy!: number;
}

export class IssueQuoteDto {
  @ApiPropertyOptional({ description: 'Generated when omitted' })
  @IsOptional()
  @IsString()
  @MaxLength(SHORT)
  quoteId?: string;
  @ApiProperty({ type: [QuoteLineDto] })
  @ValidateNested({ each: true })
  @Type(() => QuoteLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  lines!: QuoteLineDto[];
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2026-04-30' })
  @IsOptional()
  @IsCalendarDate()
  validUntil?: string | null;
}

export class QuoteDecisionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) quoteId!: string;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: TEXT, description: 'Why it was declined' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  reason?: string | null;
}

export class RejectRepairDto {
  @ApiProperty({ enum: REJECTION_REASONS })
  @IsIn(REJECTION_REASONS)
  reason!: RejectionReason;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) detail!: string;
}

export class CancelTicketDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) reason!: string;
}
