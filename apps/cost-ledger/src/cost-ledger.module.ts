import { Module } from '@nestjs/common';
import { ChassisModule, PLATFORM_VERSION } from '@rcp/service';
import { LEDGER_HANDLERS, LEDGER_MIGRATIONS, LedgerSetup } from './adapters/ledger-setup';

@Module({
  imports: [
    ChassisModule.forRoot({
      service: 'ledger',
      version: PLATFORM_VERSION,
      migrations: LEDGER_MIGRATIONS,
    }),
  ],
  providers: [...LEDGER_HANDLERS, LedgerSetup],
})
export class CostLedgerModule {}
