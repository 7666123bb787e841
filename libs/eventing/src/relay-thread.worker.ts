// Entry of the relay's thread (see RelayThread).
import './relay-thread.instrument';
import { parentPort, workerData } from 'node:worker_threads';
import type { RelayThreadData } from './relay-thread';
import { runRelayThread } from './relay-thread.main';

void runRelayThread(workerData as RelayThreadData, parentPort!);
