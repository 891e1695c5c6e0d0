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
import { IsCalendarDate } from '../http/validation';

/** Edge validation: types, shapes, sizes. Business rules (dates in order, statuses) are the domain's. */
const TEXT = 2000;
const SHORT = 200;

export class ProofOfDeliveryDto {
  @ApiProperty({
    enum: ['delivery_slip', 'invoice', 'other'],
    description: '納品書 (delivery slip) or similar',
  })
  @IsIn(['delivery_slip', 'invoice', 'other'])
  kind!: 'delivery_slip' | 'invoice' | 'other';

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
  @ApiProperty({ enum: ['main_unit', 'recorder_hdd', 'software_only'] })
  @IsIn(['main_unit', 'recorder_hdd', 'software_only'])
  failedComponent!: 'main_unit' | 'recorder_hdd' | 'software_only';
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
  @ApiPropertyOptional({ description: "The partner's own reference for the end user / site" })
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
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) note?: string | null;
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
    enum: [
      'not_following_manual',
      'misuse_improper_repair_or_modification',
      'relocation_transport_or_drop',
      'disaster_pollution_or_abnormal_power',
      'outside_specified_conditions',
      'connected_equipment',
    ],
    description: 'Exclusions (1)–(6) (免責事項): turn a free repair into a quoted, chargeable one',
  })
  @IsIn([
    'not_following_manual',
    'misuse_improper_repair_or_modification',
    'relocation_transport_or_drop',
    'disaster_pollution_or_abnormal_power',
    'outside_specified_conditions',
    'connected_equipment',
  ])
  exclusion!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) findings!: string;
}

export class PartLineDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) partNumber!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) description!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) quantity!: number;
}

export class CompleteRepairDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) workSummary!: string;
  @ApiPropertyOptional({ type: [PartLineDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PartLineDto)
  @ArrayMaxSize(50)
  partsReplaced?: PartLineDto[];
}

export class DispatchOnsiteDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) technicianName!: string;
  @ApiProperty() @IsCalendarDate() visitDate!: string;
  @ApiPropertyOptional({ type: [PartLineDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PartLineDto)
  @ArrayMaxSize(50)
  parts?: PartLineDto[];
}

export class CompleteOnsiteRepairDto {
  @ApiProperty() @IsCalendarDate() completedOn!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) workSummary!: string;
  @ApiPropertyOptional({ type: [PartLineDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PartLineDto)
  @ArrayMaxSize(50)
  partsUsed?: PartLineDto[];
}

export class QuoteLineDto {
  @ApiProperty({
    enum: [
      'repair',
      'replacement_unit',
      'onsite_fee',
      'remote_area_travel',
      'hdd_part',
      'parts',
      'inspection',
    ],
  })
  @IsIn(['repair', 'replacement_unit', 'onsite_fee', 'remote_area_travel', 'hdd_part', 'parts', 'inspection'])
  kind!:
    'repair' | 'replacement_unit' | 'onsite_fee' | 'remote_area_travel' | 'hdd_part' | 'parts' | 'inspection';
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
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() validUntil?: string | null;
}

export class QuoteDecisionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(SHORT) quoteId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) reason?: string | null;
}

export class RejectRepairDto {
  @ApiProperty({ enum: ['unrepairable_model', 'beyond_repair'] })
  @IsIn(['unrepairable_model', 'beyond_repair'])
  reason!: 'unrepairable_model' | 'beyond_repair';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) detail!: string;
}

export class CancelTicketDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(TEXT) reason!: string;
}
