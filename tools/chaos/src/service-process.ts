import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { killOnExit, terminate, waitForExit } from '@rcp/infra';

/** A service token and the folder of its app (as in tools/launcher). */
export interface ServiceSpec {
  token: string;
  folder: string;
}

export const ALL_SERVICES: readonly ServiceSpec[] = [
  { token: 'orchestrator', folder: 'orchestrator' },
  { token: 'discovery', folder: 'discovery' },
  { token: 'ledger', folder: 'cost-ledger' },
  { token: 'flags', folder: 'flags' },
  { token: 'quota', folder: 'quota' },
];

const LOG_TAIL_CHARS = 200_000;

/** One running copy of a service (`node dist/apps/<folder>/src/main.js`) that can be SIGKILLed and restarted. */
export class ServiceProcess {
  private child?: ChildProcess;
  private log = '';
  /** Every line the process ever wrote, across restarts (for log scans). */
  private allOutput: string[] = [];
  starts = 0;

  constructor(
    readonly spec: ServiceSpec,
    readonly replica: number,
    private readonly repoRoot: string,
    private env: NodeJS.ProcessEnv,
  ) {}

  get name(): string {
    return this.replica === 0 ? this.spec.token : `${this.spec.token}#${this.replica + 1}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  setEnv(env: NodeJS.ProcessEnv): void {
    this.env = env;
  }

  start(): void {
    const entry = path.join(this.repoRoot, 'dist', 'apps', this.spec.folder, 'src', 'main.js');
    const child = spawn(process.execPath, [entry], {
      cwd: this.repoRoot,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killOnExit(child);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      this.allOutput.push(text);
      this.log = (this.log + text).slice(-LOG_TAIL_CHARS);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.child = child;
    this.starts++;
  }

  /** SIGKILL, waiting for the exit. */
  async kill(): Promise<void> {
    if (!this.child || !this.alive) return;
    const exited = waitForExit(this.child);
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.child) await terminate(this.child, 5_000);
  }

  tail(chars = 3_000): string {
    return this.log.slice(-chars);
  }

  output(): string {
    return this.allOutput.join('');
  }
}
