import './instrument';
import { bootstrapService } from '@rcp/service';
import { QuotaModule } from './quota.module';

void bootstrapService('quota', QuotaModule.forRoot());
