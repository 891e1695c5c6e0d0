import { type Actor, sampleCatalog } from '@app/domain';
import { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '@app/event-store';
import type { CommandContext } from '../infrastructure/command-context';
import {
  CATALOG_STREAM,
  ExecuteReferenceCommand,
  type ReferenceCommandInput,
} from '../reference/reference-commands';

/**
 * SAMPLE DATA, NOT REAL: loaded on the first start of an empty store so the service can be tried at once.
 * The catalog is `sampleCatalog()` (invented model numbers, NOT the official covered list); the partners
 * and sales records are fictitious.
 */
export const DEMO_PARTNERS = [
  {
    partnerId: 'P-001',
    name: 'サンプル電設株式会社 (sample, Partners Circle member)',
    joined: '2020-04-01',
    left: null,
    certified: '2021-06-01',
  },
  {
    partnerId: 'P-002',
    name: 'デモセキュリティ合同会社 (sample, not a member)',
    joined: null,
    left: null,
    certified: null,
  },
  {
    partnerId: 'P-003',
    name: 'テスト映像システム株式会社 (sample, former member)',
    joined: '2019-01-01',
    left: '2023-01-01',
    certified: null,
  },
] as const;

export const DEMO_SALES = [
  { serialNumber: 'DEMO-S1136-0001', modelNumber: 'WV-S1136', partnerId: 'P-001', saleDate: '2023-03-01' },
  { serialNumber: 'DEMO-X1574-0001', modelNumber: 'WV-X1574LN', partnerId: 'P-001', saleDate: '2022-10-01' },
  { serialNumber: 'DEMO-NX400-0001', modelNumber: 'WJ-NX400', partnerId: 'P-001', saleDate: '2025-06-01' },
  { serialNumber: 'DEMO-NX400-0002', modelNumber: 'WJ-NX400', partnerId: 'P-001', saleDate: '2022-01-15' },
  { serialNumber: 'DEMO-S2136-0001', modelNumber: 'WV-S2136L', partnerId: 'P-002', saleDate: '2024-02-01' },
  { serialNumber: 'DEMO-S1136-0002', modelNumber: 'WV-S1136', partnerId: 'P-003', saleDate: '2022-06-01' },
] as const;

const SYSTEM: Actor = { kind: 'system', component: 'demo-loader' };

/** Loads the sample data unless the catalog stream already has events. Returns whether it loaded. */
export async function loadDemoDataIfEmpty(
  store: EventStore,
  commands: CommandBus,
  ctx: CommandContext,
): Promise<boolean> {
  if ((await store.streamRevision(CATALOG_STREAM)) !== undefined) return false;
  const run = (command: ReferenceCommandInput): Promise<unknown> =>
    commands.execute(new ExecuteReferenceCommand(command, ctx, SYSTEM));
  await run({ type: 'PublishCatalogVersion', data: sampleCatalog() });
  for (const p of DEMO_PARTNERS) {
    await run({ type: 'RegisterPartner', data: { partnerId: p.partnerId, name: p.name } });
    if (p.joined) await run({ type: 'JoinPartnersCircle', data: { partnerId: p.partnerId, date: p.joined } });
    if (p.left) await run({ type: 'LeavePartnersCircle', data: { partnerId: p.partnerId, date: p.left } });
    if (p.certified)
      await run({ type: 'CertifyPartner', data: { partnerId: p.partnerId, date: p.certified } });
  }
  for (const s of DEMO_SALES) await run({ type: 'RecordUnitSale', data: { ...s, soldInJapan: true } });
  return true;
}
