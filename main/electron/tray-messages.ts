/**
 * The words of the tray, its tooltip, the quit dialog and desktop notifications, in English and
 * Japanese. No Electron import: the language is chosen from the settings and the OS locale
 * passed in. `{name}` placeholders are filled by `trayText`.
 */
import type { AlertRecord, AlertRuleId } from '../alerts/alert-record';
import type { AppPreferences } from '../settings/settings-schema';

export type TrayLanguage = 'en' | 'ja';

const en = {
  'app.name': 'Guildhall',
  'status.checking': 'Checking the cluster…',
  'status.no-engine': 'No container engine',
  'status.absent': 'Cluster not created',
  'status.stopped': 'Cluster stopped',
  'status.starting': 'Cluster starting…',
  'status.running': 'Cluster running',
  'status.degraded': 'Cluster needs attention',
  'status.error': 'Cluster status unavailable',
  'busy.start': 'Starting the cluster…',
  'busy.stop': 'Stopping the cluster…',
  'busy.scale': 'Changing the number of workers…',
  'busy.pause': 'Pausing all queues…',
  'busy.resume': 'Resuming all queues…',
  'status.workers': '{running} of {desired} workers running',
  'menu.start': 'Start cluster',
  'menu.stop': 'Stop cluster',
  'menu.workers': 'Workers: {count}',
  'menu.pool': '{pool}: {running} of {desired}',
  'menu.add-worker': 'Add one',
  'menu.remove-worker': 'Remove one',
  'menu.pause-all': 'Pause all queues',
  'menu.resume-all': 'Resume all queues',
  'menu.open-console': 'Open console',
  'menu.troubleshoot': 'Troubleshoot…',
  'menu.setup': 'Run setup again…',
  'menu.quit': 'Quit Guildhall',
  'quit.title': 'Quit Guildhall',
  'quit.message': 'The cluster is still running.',
  'quit.detail':
    'Stop it now, or leave Redis and the workers running in the container engine? Jobs keep being processed while it runs.',
  'quit.stop': 'Stop cluster and quit',
  'quit.leave': 'Leave running and quit',
  'quit.cancel': 'Cancel',
  'quit.remember': 'Remember my choice',
  'quit.stop-failed': 'The cluster could not be stopped',
  'quit.stop-failed-detail':
    '{message}\nIt may still be running; stop it later from the app or with `guildhall down`.',
  'alert.crashLoop.title': 'A worker keeps crashing',
  'alert.crashLoop.body':
    '{worker} crashed {crashes} times in {windowMinutes} min. Open Guildhall to see its log.',
  'alert.failureRate.title': 'Jobs are failing',
  'alert.failureRate.body':
    '{failures} jobs failed in queue "{queue}" in the last {windowMinutes} min.',
  'alert.oomKill.title': 'Out of memory',
  'alert.oomKill.body': '{container} was killed for running out of memory.',
  'alert.oldestWaiting.title': 'Jobs are waiting too long',
  'alert.oldestWaiting.body': 'The oldest job in queue "{queue}" has waited {minutes} min.',
  'alert.redisMemory.title': 'Redis memory nearly full',
  'alert.redisMemory.body': 'Redis uses {percent} % of its memory limit.',
  'alert.diskLow.title': 'Disk space low',
  'alert.diskLow.body': 'Only {freeMb} MiB of disk space is free.',
  'alert.engineUnreachable.title': 'Container engine unreachable',
  'alert.engineUnreachable.body': 'The container engine does not answer.',
  'alert.imageBuildFailed.title': 'Image build failed',
  'alert.imageBuildFailed.body': 'An image build failed ({target}).',
  'action.failed': 'Guildhall: the action failed',
  'update.title': 'Update ready',
  'update.message': 'Guildhall {version} is ready to install',
  'update.detail':
    'Restart now to install it, or later: you will be asked again. A running cluster keeps running.',
  'update.restart': 'Restart now',
  'update.later': 'Later',
} as const;

export type TrayMessageId = keyof typeof en;

const ja: Record<TrayMessageId, string> = {
  'app.name': 'Guildhall',
  'status.checking': 'クラスターを確認しています…',
  'status.no-engine': 'コンテナエンジンが見つかりません',
  'status.absent': 'クラスターは未作成です',
  'status.stopped': 'クラスターは停止中です',
  'status.starting': 'クラスターを起動しています…',
  'status.running': 'クラスターは稼働中です',
  'status.degraded': 'クラスターに問題があります',
  'status.error': 'クラスターの状態を取得できません',
  'busy.start': 'クラスターを起動しています…',
  'busy.stop': 'クラスターを停止しています…',
  'busy.scale': 'ワーカー数を変更しています…',
  'busy.pause': 'すべてのキューを一時停止しています…',
  'busy.resume': 'すべてのキューを再開しています…',
  'status.workers': 'ワーカー {running} / {desired} 稼働中',
  'menu.start': 'クラスターを起動',
  'menu.stop': 'クラスターを停止',
  'menu.workers': 'ワーカー: {count}',
  'menu.pool': '{pool}: {running} / {desired}',
  'menu.add-worker': '1 つ追加',
  'menu.remove-worker': '1 つ削除',
  'menu.pause-all': 'すべてのキューを一時停止',
  'menu.resume-all': 'すべてのキューを再開',
  'menu.open-console': 'コンソールを開く',
  'menu.troubleshoot': 'トラブルシューティング…',
  'menu.setup': 'セットアップをやり直す…',
  'menu.quit': 'Guildhall を終了',
  'quit.title': 'Guildhall を終了',
  'quit.message': 'クラスターはまだ稼働中です。',
  'quit.detail':
    '今すぐ停止しますか？それとも Redis とワーカーをコンテナエンジンで稼働させたままにしますか？稼働中はジョブの処理が続きます。',
  'quit.stop': 'クラスターを停止して終了',
  'quit.leave': '稼働させたまま終了',
  'quit.cancel': 'キャンセル',
  'quit.remember': 'この選択を記憶する',
  'quit.stop-failed': 'クラスターを停止できませんでした',
  'quit.stop-failed-detail':
    '{message}\nまだ稼働している可能性があります。後でアプリか `guildhall down` で停止してください。',
  'alert.crashLoop.title': 'ワーカーがクラッシュを繰り返しています',
  'alert.crashLoop.body':
    '{worker} が {windowMinutes} 分間に {crashes} 回クラッシュしました。Guildhall でログを確認してください。',
  'alert.failureRate.title': 'ジョブが失敗しています',
  'alert.failureRate.body':
    'キュー「{queue}」で直近 {windowMinutes} 分間に {failures} 件のジョブが失敗しました。',
  'alert.oomKill.title': 'メモリ不足',
  'alert.oomKill.body': '{container} がメモリ不足で強制終了されました。',
  'alert.oldestWaiting.title': 'ジョブの待ち時間が長すぎます',
  'alert.oldestWaiting.body': 'キュー「{queue}」の最も古い待機ジョブが {minutes} 分待っています。',
  'alert.redisMemory.title': 'Redis のメモリが上限に近づいています',
  'alert.redisMemory.body': 'Redis がメモリ上限の {percent} % を使用しています。',
  'alert.diskLow.title': 'ディスクの空き容量が不足しています',
  'alert.diskLow.body': 'ディスクの空き容量が {freeMb} MiB しかありません。',
  'alert.engineUnreachable.title': 'コンテナエンジンに接続できません',
  'alert.engineUnreachable.body': 'コンテナエンジンが応答しません。',
  'alert.imageBuildFailed.title': 'イメージのビルドに失敗しました',
  'alert.imageBuildFailed.body': 'イメージのビルドに失敗しました（{target}）。',
  'action.failed': 'Guildhall: 操作に失敗しました',
  'update.title': 'アップデートの準備ができました',
  'update.message': 'Guildhall {version} をインストールできます',
  'update.detail':
    '今すぐ再起動してインストールするか、後で行えます（後でを選ぶと、次回また確認します）。稼働中のクラスターはそのまま動き続けます。',
  'update.restart': '今すぐ再起動',
  'update.later': '後で',
};

const catalogues: Record<TrayLanguage, Record<TrayMessageId, string>> = { en, ja };

/** The language from the settings, or from the OS locale ("ja-JP" → ja) when set to system. */
export function resolveTrayLanguage(
  setting: AppPreferences['language'],
  osLocale: string,
): TrayLanguage {
  if (setting === 'en' || setting === 'ja') return setting;
  return osLocale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export type MessageParams = Record<string, string | number>;

/** The message in the language with `{name}` placeholders filled; unknown ones stay as they are. */
export function trayText(
  language: TrayLanguage,
  id: TrayMessageId,
  params: MessageParams = {},
): string {
  const template = catalogues[language][id];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Every message id, for completeness checks. */
export function trayMessageIds(): TrayMessageId[] {
  return Object.keys(en) as TrayMessageId[];
}

/**
 * Title and body of the desktop notification for an alert the rules raised (main/alerts): the
 * rule's words in the language, filled with the alert's figures.
 */
export function alertNotificationText(
  language: TrayLanguage,
  alert: Pick<AlertRecord, 'rule' | 'detail'>,
): { title: string; body: string } {
  const rule: AlertRuleId = alert.rule;
  return {
    title: trayText(language, `alert.${rule}.title`),
    body: trayText(language, `alert.${rule}.body`, alert.detail),
  };
}
