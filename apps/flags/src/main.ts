import './instrument';
import { bootstrapService } from '@rcp/service';
import { FlagsModule } from './flags.module';

void bootstrapService('flags', FlagsModule);
