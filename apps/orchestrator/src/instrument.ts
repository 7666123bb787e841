// Loaded first by main.ts: OpenTelemetry must patch pg before anything imports it.
import { startTelemetry } from '@rcp/telemetry';

startTelemetry('orchestrator');
