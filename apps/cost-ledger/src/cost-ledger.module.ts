import { Module } from '@nestjs/common';
import { ChassisModule, PLATFORM_VERSION } from '@rcp/service';

@Module({
  imports: [ChassisModule.forRoot({ service: 'ledger', version: PLATFORM_VERSION })],
})
export class CostLedgerModule {}
