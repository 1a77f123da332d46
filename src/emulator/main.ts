import { runEmulatorCli } from './cli.js';

// Entry point of `node dist/emulator/main.js`: a failure to start exits 1 with its reason, never a secret.
runEmulatorCli(process.argv).catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`emulator: ${message}${typeof code === 'string' ? ` (${code})` : ''}\n`);
  process.exitCode = 1;
});
