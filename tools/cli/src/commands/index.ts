import type { CommandSpec } from '../command-spec';
import { dlqCommands } from './dlq.commands';
import { eventsCommand } from './events.command';
import { flagsCommands } from './flags.commands';
import { communitiesCommand, costCommand, rebuildCommand, verifyCommand } from './query.commands';
import { quotaCommands } from './quota.commands';
import { cancelCommand, pauseCommand, resumeCommand, startCommand } from './rollout.commands';
import { statusCommand } from './status.command';

/** Every `rollout` command, in help order. */
export const COMMANDS: CommandSpec[] = [
  startCommand,
  pauseCommand,
  resumeCommand,
  cancelCommand,
  statusCommand,
  communitiesCommand,
  eventsCommand,
  costCommand,
  ...flagsCommands,
  ...quotaCommands,
  ...dlqCommands,
  rebuildCommand,
  verifyCommand,
];
