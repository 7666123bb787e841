import './instrument';
import { bootstrapService } from '@rcp/service';
import { OrchestratorModule } from './orchestrator.module';

void bootstrapService('orchestrator', OrchestratorModule);
