/** A sink for human-readable progress lines (the launcher prints them, tests usually drop them). */
export type Log = (message: string) => void;

export const silentLog: Log = () => undefined;

export const consoleLog: Log = (message) => console.log(message);
