/** Alert rules evaluated by the supervisor, and the channels alerts go out on (main/alerts). */
export * from './alert-record';
export { AlertDuty, alertJournalFor, type AlertDutyOptions } from './alert-duty';
export { AlertJournal, ALERTS_FILE, emptyAlertsState } from './alert-journal';
export { sendTestAlert } from './test-alert';
export { readAlertsConfig, saveAlertsConfig, webhookSecretName } from './alert-settings';
export { alertsBundleSection, ALERTS_BUNDLE_ENTRY } from './alert-bundle';
