/**
 * The message catalogue, assembled from one section per area (sections/*.ts hold English and
 * Japanese side by side). Every UI string comes from here. Placeholders: {name}.
 */
import type { Widen } from './section';
import { activity } from './sections/activity';
import { alerts } from './sections/alerts';
import { alertsForm } from './sections/alerts-form';
import { app } from './sections/app';
import { autoscale } from './sections/autoscale';
import { cluster } from './sections/cluster';
import { common } from './sections/common';
import { controls } from './sections/controls';
import { dashboard } from './sections/dashboard';
import { errors } from './sections/errors';
import { externalRedis } from './sections/external-redis';
import { exportPage } from './sections/export';
import { flows } from './sections/flows';
import { history } from './sections/history';
import { jobs } from './sections/jobs';
import { logs } from './sections/logs';
import { nav } from './sections/nav';
import { poolFields } from './sections/pool-fields';
import { poolNetwork } from './sections/pool-network';
import { pools } from './sections/pools';
import { queues } from './sections/queues';
import { schedules } from './sections/schedules';
import { search } from './sections/search';
import { secrets } from './sections/secrets';
import { settings } from './sections/settings';
import { shell } from './sections/shell';
import { supervisor } from './sections/supervisor';
import { supervisorSettings } from './sections/supervisor-settings';
import { troubleshoot } from './sections/troubleshoot';
import { wizard } from './sections/wizard';
import { workers } from './sections/workers';

export const sections = {
  app,
  common,
  errors,
  nav,
  cluster,
  shell,
  dashboard,
  workers,
  settings,
  queues,
  jobs,
  logs,
  wizard,
  troubleshoot,
  activity,
  alerts,
  alertsForm,
  controls,
  schedules,
  flows,
  search,
  secrets,
  externalRedis,
  pools,
  poolFields,
  poolNetwork,
  supervisor,
  supervisorSettings,
  autoscale,
  history,
  export: exportPage,
};

type English<S> = { [K in keyof S]: S[K] extends { en: infer E } ? E : never };

export const en = Object.fromEntries(
  Object.entries(sections).map(([key, value]) => [key, value.en]),
) as English<typeof sections>;

export type Messages = Widen<typeof en>;
