#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './cli';

const exit = (code: number) => process.stdout.write('', () => process.exit(code));

runCli(process.argv.slice(2)).then(exit, (error: unknown) => {
  process.stderr.write(`error INTERNAL: ${(error as Error).message}\n`);
  exit(1);
});
