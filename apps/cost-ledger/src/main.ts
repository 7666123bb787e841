import './instrument';
import { bootstrapService } from '@rcp/service';
import { CostLedgerModule } from './cost-ledger.module';

void bootstrapService('ledger', CostLedgerModule);
