import type { SchemaObject } from '@nestjs/swagger';
import { PRODUCT_CATEGORIES } from '@app/domain';
import {
  array,
  bool,
  COVERAGES,
  date,
  instant,
  int,
  membershipPeriod,
  nullable,
  object,
  oneOf,
  period,
  ref,
  SCHEMES,
  str,
} from './schema-kit';

/** Reference data (partners, sales records, catalog versions) and the warranty status of a unit. */
export const REFERENCE_SCHEMAS: Record<string, SchemaObject> = {
  MembershipPeriod: membershipPeriod,
  MembershipFact: object({
    partnerId: str,
    saleDate: date,
    memberAtSaleDate: bool,
    period: nullable(membershipPeriod),
    recordVersion: nullable(int),
  }),
  WarrantyPeriods: object({
    productWarranty: nullable(period),
    partnersCircleExtension: nullable(period),
  }),
  CatalogEntry: object({
    modelNumber: str,
    name: str,
    category: oneOf(PRODUCT_CATEGORIES),
    onCoveredList: bool,
    productWarranty: bool,
    repairable: bool,
    repairScheme: nullable(str),
  }),
  WarrantyStatus: object({
    serialNumber: str,
    modelNumber: str,
    asOf: date,
    deliveryDate: date,
    deliveryDateSource: oneOf(['query', 'latest_ticket']),
    coverage: oneOf(COVERAGES),
    reasons: array(str),
    scheme: oneOf(SCHEMES),
    periods: ref('WarrantyPeriods'),
    catalogVersion: str,
    membership: nullable(ref('MembershipFact')),
    sale: nullable(object({ partnerId: str, saleDate: date, soldInJapan: bool })),
    pastTickets: array(
      object({
        ticketId: str,
        status: str,
        scheme: nullable(str),
        coverage: nullable(str),
        requestedAt: instant,
      }),
    ),
  }),
  Partner: object(
    {
      partnerId: str,
      name: str,
      certifiedOn: nullable(date),
      memberships: array(ref('MembershipPeriod')),
      revision: { ...int, description: 'Revision of the partner’s record (its events, from 0)' },
    },
    'A partner with its membership history (`GET /partners/{partnerId}`, and the answer of every partner write)',
  ),
  UnitSale: object(
    { serial: str, modelNumber: str, partnerId: str, saleDate: date, soldInJapan: bool },
    'A sales record (`GET /unit-sales/{serial}`, and the answer of `POST /unit-sales`)',
  ),
  CatalogVersionSummary: object({ version: str, publishedAt: date, recordedAt: instant, entryCount: int }),
  CatalogVersion: object(
    {
      version: str,
      publishedAt: date,
      recordedAt: instant,
      entryCount: int,
      entries: array(ref('CatalogEntry')),
    },
    'A catalog version with its entries (`GET /catalog/versions/{version}`, and the answer of publishing it)',
  ),
};
