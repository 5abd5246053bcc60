/**
 * What the Done step shows for sending jobs: a Node (bullmq) and a Python (bullmq for Python)
 * example with the cluster's connection URL, and the CLI commands. Code is code — it is not
 * translated; only the comments in it come from the catalogue (passed in). Pure.
 */
/** File names shown above the examples (code, not UI text). */
export const SNIPPET_FILES = { node: 'send-job.mjs', python: 'send_job.py' } as const;

export interface SnippetText {
  /** A comment line: where the URL comes from. */
  urlComment: string;
}

export function nodeSnippet(url: string, text: SnippetText): string {
  return [
    `// npm install bullmq ioredis`,
    `import { Queue } from 'bullmq';`,
    `import IORedis from 'ioredis';`,
    ``,
    `// ${text.urlComment}`,
    `const connection = new IORedis('${url}', { maxRetriesPerRequest: null });`,
    `const queue = new Queue('echo', { connection });`,
    ``,
    `const job = await queue.add('hello', { message: 'Hello from Node' });`,
    `console.log('added job', job.id);`,
    `await queue.close();`,
    `await connection.quit();`,
  ].join('\n');
}

export function pythonSnippet(url: string, text: SnippetText): string {
  return [
    `# pip install bullmq`,
    `import asyncio`,
    `from bullmq import Queue`,
    ``,
    `async def main():`,
    `    # ${text.urlComment}`,
    `    queue = Queue("echo", {"connection": "${url}"})`,
    `    job = await queue.add("hello", {"message": "Hello from Python"})`,
    `    print("added job", job.id)`,
    `    await queue.close()`,
    ``,
    `asyncio.run(main())`,
  ].join('\n');
}

/**
 * A CLI command as the console shows it: run with npx, as the README does — in a clone,
 * `guildhall` itself is not on PATH.
 */
export function cliCommand(args: string): string {
  return `npx guildhall ${args}`;
}

/** CLI commands, each with the catalogue key (under wizard.done.cli) that describes it. */
export const CLI_COMMANDS: readonly { command: string; key: string }[] = [
  { command: cliCommand(`add echo '{"message":"hello"}'`), key: 'add' },
  { command: cliCommand('jobs echo --state completed'), key: 'jobs' },
  { command: cliCommand('status'), key: 'status' },
  { command: cliCommand('connect'), key: 'connect' },
];
