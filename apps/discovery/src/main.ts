import './instrument';
import { bootstrapService } from '@rcp/service';
import { DiscoveryModule } from './discovery.module';

void bootstrapService('discovery', DiscoveryModule);
