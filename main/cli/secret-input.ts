/**
 * Reads a secret's value for `guildhall secret set`: from a terminal, at a prompt that does not
 * echo what is typed; otherwise all of stdin (a pipe or a file), less one trailing line break.
 * Never from the command line, where other users and shell history could see it.
 */
import { GuildhallError } from '../util/errors';

const MAX_INPUT_BYTES = 1024 * 1024;

export async function readSecretInput(
  prompt: string,
  stdin: NodeJS.ReadStream = process.stdin,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  return stdin.isTTY ? readHidden(prompt, stdin, stderr) : readAll(stdin);
}

async function readAll(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) {
      throw new GuildhallError('invalid-input', 'The value on stdin is too long (over 1 MiB).');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function readHidden(
  prompt: string,
  stdin: NodeJS.ReadStream,
  stderr: NodeJS.WriteStream,
): Promise<string> {
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const done = (outcome: () => void) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stderr.write('\n');
      outcome();
    };
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done(() => resolve(value));
        if (char === '\u0003') {
          return done(() =>
            reject(new GuildhallError('cancelled', 'Cancelled: no secret was stored.')),
          );
        }
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}
