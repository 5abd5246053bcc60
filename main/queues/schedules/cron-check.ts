/**
 * Cron expressions checked and expanded with cron-parser, the parser BullMQ's job schedulers use,
 * so what the preview shows is what BullMQ will do. A bad expression is refused naming the field
 * at fault: each field is tried on its own (the others `*`), so cron-parser's "got value 61
 * expected range 0-59" becomes "the minute field "61" is invalid: …".
 */
import { CronExpressionParser } from 'cron-parser';
import { GuildhallError } from '../../util/errors';

const FIVE_FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;
const SIX_FIELDS = ['second', ...FIVE_FIELDS] as const;

/** Throws a GuildhallError naming the time zone when it is not an IANA zone this runtime knows. */
export function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new GuildhallError(
      'invalid-input',
      `tz "${tz}" is not a known time zone.`,
      'Use an IANA time zone name such as "UTC", "Europe/Paris" or "Asia/Tokyo".',
      { field: 'tz' },
    );
  }
}

/** Throws a GuildhallError naming the field at fault when `expression` is not a valid cron. */
export function checkCron(expression: string): void {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new GuildhallError(
      'invalid-input',
      `cron "${expression}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; it needs 5 (minute hour day-of-month month day-of-week) or 6 (with seconds first).`,
      'Example: "0 9 * * 1-5" runs at 09:00 on weekdays.',
      { field: 'cron' },
    );
  }
  const names = fields.length === 6 ? SIX_FIELDS : FIVE_FIELDS;
  fields.forEach((field, index) => {
    const alone = fields.map((_, i) => (i === index ? field : '*')).join(' ');
    try {
      CronExpressionParser.parse(alone);
    } catch (err) {
      const name = names[index] ?? `field ${index + 1}`;
      throw new GuildhallError(
        'invalid-input',
        `cron "${expression}": the ${name} field "${field}" is invalid (${describe(err)}).`,
        hintFor(name),
        { field: 'cron', cronField: name },
      );
    }
  });
  try {
    CronExpressionParser.parse(expression);
  } catch (err) {
    throw new GuildhallError(
      'invalid-input',
      `cron "${expression}" is invalid: ${describe(err)}.`,
      'Check the fields together, e.g. a day of month that no month has.',
      { field: 'cron' },
    );
  }
}

/**
 * The next `count` run times (epoch ms) of a cron expression or an interval, from `from`, within
 * the optional start and end dates. Fewer when the schedule ends sooner.
 */
export function nextRuns(
  spec: { cron?: string | undefined; every?: number | undefined; tz?: string | undefined },
  options: {
    from: number;
    count: number;
    startDate?: number | undefined;
    endDate?: number | undefined;
  },
): number[] {
  const start = Math.max(options.from, options.startDate ?? 0);
  const end = options.endDate ?? Number.POSITIVE_INFINITY;
  const runs: number[] = [];
  if (spec.cron !== undefined) {
    const iterator = CronExpressionParser.parse(spec.cron, {
      currentDate: new Date(start),
      ...(spec.tz ? { tz: spec.tz } : {}),
    });
    while (runs.length < options.count && iterator.hasNext()) {
      const at = iterator.next().getTime();
      if (at > end) break;
      runs.push(at);
    }
    return runs;
  }
  if (spec.every !== undefined) {
    // BullMQ runs an interval schedule's first job at once, then one every `every` ms.
    let at = start;
    while (runs.length < options.count && at <= end) {
      runs.push(at);
      at += spec.every;
    }
  }
  return runs;
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
}

function hintFor(field: string): string {
  const ranges: Record<string, string> = {
    second: '0–59',
    minute: '0–59',
    hour: '0–23',
    'day of month': '1–31',
    month: '1–12 or JAN–DEC',
    'day of week': '0–7 (0 and 7 are Sunday) or SUN–SAT',
  };
  return `The ${field} field takes ${ranges[field] ?? 'a value'}, a list (1,2), a range (1-5), a step (*/15) or *.`;
}
