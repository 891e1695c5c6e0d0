import { Controller, Get, Inject } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DashboardReadModel,
  type DashboardFiguresV1,
  type ProjectionLag,
  type ProjectionRunner,
} from '@app/read-models';
import { AcceptsSessionCookie, Roles } from '../auth/auth.decorators';
import { PROJECTIONS } from '../infrastructure/runtime';

export interface DashboardSummary extends DashboardFiguresV1 {
  readonly generatedAt: string;
  readonly projectionLag: ProjectionLag;
}

export class GetDashboard extends Query<DashboardSummary> {}

@QueryHandler(GetDashboard)
export class GetDashboardHandler implements IQueryHandler<GetDashboard, DashboardSummary> {
  constructor(
    private readonly dashboard: DashboardReadModel,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRunner,
  ) {}

  async execute(): Promise<DashboardSummary> {
    const [figures, projectionLag] = await Promise.all([this.dashboard.figures(), this.projections.lag()]);
    return { generatedAt: new Date().toISOString(), ...figures, projectionLag };
  }
}

@ApiTags('operations')
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly queries: QueryBus) {}

  @Get('summary')
  @Roles('ops', 'support')
  @AcceptsSessionCookie()
  @ApiOperation({ summary: 'Operations summary from the projections' })
  summary(): Promise<DashboardSummary> {
    return this.queries.execute(new GetDashboard());
  }
}
