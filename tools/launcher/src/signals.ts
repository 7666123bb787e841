import type { Log } from '@rcp/infra';

/** Resolves on the first SIGINT or SIGTERM; later ones are reported and otherwise ignored while we stop. */
export function shutdownSignal(log: Log): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      const ignore = (again: NodeJS.Signals): void =>
        log(`[launcher] ${again} ignored: already stopping`);
      process.on('SIGINT', ignore);
      process.on('SIGTERM', ignore);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
