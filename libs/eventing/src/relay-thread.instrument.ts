// Loaded first by the relay's thread, as instrument.ts is by a service's main: the pg
// instrumentation must patch pg before anything loads it.
import { workerData } from 'node:worker_threads';
import { startTelemetry } from '@rcp/telemetry';
import type { RelayThreadData } from './relay-thread';

startTelemetry((workerData as RelayThreadData).service);
