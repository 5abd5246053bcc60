import { createInterface } from 'node:readline';

/** What a CLI command may touch, injected so commands run in tests without a terminal. */
export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  onInterrupt(handler: () => void): void;
  /** Calls `handler` when the process is asked to terminate (SIGTERM: systemd, kill). */
  onTerminate?(handler: () => void): void;
  /** Calls `handler` on each line typed on an interactive stdin; returns a stop function. */
  onInputLine?(handler: (line: string) => void): () => void;
  /** Reads a secret's value (stdin, or a prompt without echo); default: secret-input.ts. */
  readSecret?(prompt: string): Promise<string>;
}

export const processIO: CliIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt: (handler) => process.once('SIGINT', handler),
  onTerminate: (handler) => process.once('SIGTERM', handler),
  onInputLine: (handler) => {
    if (!process.stdin.isTTY) return () => {};
    // terminal: false keeps the terminal cooked, so Ctrl+C still reaches the process as SIGINT.
    const lines = createInterface({ input: process.stdin, terminal: false });
    lines.on('line', handler);
    return () => lines.close();
  },
};
