/**
 * Prints progress events: a live block of per-target lines with byte bars on a TTY, plain lines
 * for state changes otherwise, NDJSON with --json.
 */
import type { ProgressEvent, ProgressSink } from '../util/progress';

const SYMBOL: Record<ProgressEvent['status'], string> = {
  pending: '·',
  running: '…',
  done: '✔',
  failed: '✖',
  skipped: '✔',
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function bar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${formatBytes(done)}/${formatBytes(total)}`;
}

export function describeEvent(event: ProgressEvent): string {
  const bytes = event.bytesTotal ? ` ${bar(event.bytesDone ?? 0, event.bytesTotal)}` : '';
  const message = event.message ? ` ${event.message.split('\n')[0]}` : '';
  // A step about one thing names it once ("engine connecting", not "engine engine connecting").
  const subject = event.target === event.step ? event.step : `${event.step} ${event.target}`;
  return `${SYMBOL[event.status]} ${subject}${message}${bytes}`;
}

export interface ProgressPrinter {
  sink: ProgressSink;
  finish(): void;
}

export function createProgressPrinter(
  out: NodeJS.WriteStream,
  mode: 'tty' | 'plain' | 'json',
): ProgressPrinter {
  if (mode === 'json') {
    return { sink: (event) => out.write(`${JSON.stringify(event)}\n`), finish: () => {} };
  }
  if (mode === 'plain') {
    const last = new Map<string, string>();
    return {
      sink: (event) => {
        const key = `${event.step}:${event.target}`;
        const state = `${event.status}:${event.message ?? ''}`;
        // Plain output: state changes only, never a line per byte update.
        if (event.status === 'running' && event.bytesTotal !== undefined && last.has(key)) return;
        if (last.get(key) === state) return;
        last.set(key, state);
        out.write(`${describeEvent({ ...event, bytesTotal: undefined })}\n`);
      },
      finish: () => {},
    };
  }
  const lines = new Map<string, string>();
  let drawn = 0;
  let timer: NodeJS.Timeout | null = null;
  const draw = () => {
    timer = null;
    if (drawn > 0) out.write(`\x1b[${drawn}A`);
    const width = out.columns || 100;
    for (const line of lines.values()) out.write(`\x1b[2K${line.slice(0, width - 1)}\n`);
    drawn = lines.size;
  };
  return {
    sink: (event) => {
      lines.set(`${event.step}:${event.target}`, describeEvent(event));
      timer ??= setTimeout(draw, 80);
    },
    finish: () => {
      if (timer) clearTimeout(timer);
      draw();
    },
  };
}
