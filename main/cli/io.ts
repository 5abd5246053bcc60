/** What a CLI command may touch, injected so commands run in tests without a terminal. */
export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  onInterrupt(handler: () => void): void;
}

export const processIO: CliIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt: (handler) => process.once('SIGINT', handler),
};
