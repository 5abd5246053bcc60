/**
 * The English message catalogue — the source of truth for every UI string. Other languages
 * must have exactly the same keys (checked by the type of `ja.ts` and a unit test).
 * Placeholders: {name}. Keep keys grouped by page.
 */
export const en = {
  app: {
    name: 'Guildhall',
    tagline: 'Your local task-processing cluster',
  },
  common: {
    loading: 'Loading…',
    retry: 'Retry',
    cancel: 'Cancel',
    close: 'Close',
    save: 'Save',
    confirm: 'Confirm',
    unknown: 'Unknown',
    none: 'None',
    fixHint: 'How to fix: {hint}',
    error: 'Something went wrong',
  },
  nav: {
    dashboard: 'Dashboard',
    workers: 'Workers',
    queues: 'Queues',
    jobs: 'Jobs',
    logs: 'Logs',
    troubleshoot: 'Troubleshoot',
    settings: 'Settings',
  },
  cluster: {
    state: {
      running: 'Running',
      degraded: 'Degraded',
      starting: 'Starting',
      stopped: 'Stopped',
      absent: 'Not created',
    },
    start: 'Start cluster',
    stop: 'Stop cluster',
    workersCount: 'Workers: {count}',
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;
