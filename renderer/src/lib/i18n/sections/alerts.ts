import { section } from '../section';

/** The Alerts page, the alert banner and the webhooks' delivery status. */
export const alerts = section(
  {
    intro:
      'Alerts from the rules the supervisor evaluates (crash loops, out-of-memory kills, failing queues, waiting jobs, Redis memory, disk, engine, image builds), and how each webhook received them.',
    banner: {
      one: 'Alert: {title}',
      many: '{count} active alerts, e.g. {title}',
      open: 'See alerts',
    },
    active: 'Active',
    recent: 'Recently resolved',
    noneActive: 'No active alerts.',
    noneRecent: 'Nothing resolved recently.',
    notEvaluated:
      'The rules have not run yet: they run while the app, `guildhall console` or another supervisor watches the cluster.',
    evaluatedAt: 'Rules last evaluated {time}.',
    since: 'since {time}',
    resolvedAt: 'resolved {time}',
    rules: {
      crashLoop: 'A worker keeps crashing',
      oomKill: 'Out of memory',
      failureRate: 'Jobs are failing',
      oldestWaiting: 'Jobs are waiting too long',
      redisMemory: 'Redis memory nearly full',
      diskLow: 'Disk space low',
      engineUnreachable: 'Container engine unreachable',
      imageBuildFailed: 'Image build failed',
    },
    bodies: {
      crashLoop: '{worker} crashed {crashes} times in {windowMinutes} min. See its logs.',
      oomKill: '{container} was killed for running out of memory.',
      failureRate: '{failures} jobs failed in queue "{queue}" in the last {windowMinutes} min.',
      oldestWaiting:
        'The oldest job in queue "{queue}" has waited {minutes} min (limit {limit} min).',
      redisMemory: 'Redis uses {percent} % of its memory limit ({usedMb} of {maxMb} MiB).',
      diskLow: 'Only {freeMb} MiB of disk space is free (alert under {limitMb} MiB).',
      engineUnreachable: 'The container engine did not answer {checks} checks in a row.',
      imageBuildFailed: 'An image build failed ({target}).',
    },
    webhooks: {
      title: 'Webhooks',
      none: 'No webhook is configured. Add one here (its URL is kept in the secret store), or in the cluster file under alerts.webhooks with name, urlSecret and format (json or slack).',
      columns: {
        name: 'Webhook',
        format: 'Format',
        rules: 'Rules',
        last: 'Last delivery',
      },
      allRules: 'All rules',
      never: 'Not sent yet',
      delivered: 'Delivered {event} at {time} ({attempts} tries)',
      failed: 'Failed {event} at {time} after {attempts} tries: {error} ({count} in a row)',
      test: 'Send test',
      testDone: 'Test sent: {ok} delivered, {failed} failed.',
      events: { raised: 'alert', resolved: 'resolved', test: 'test' },
    },
  },
  {
    intro:
      'スーパーバイザーが評価するルール（クラッシュの繰り返し、メモリ不足による強制終了、失敗の多いキュー、待機ジョブ、Redis のメモリ、ディスク、エンジン、イメージのビルド）によるアラートと、各 Webhook への配信状況です。',
    banner: {
      one: 'アラート: {title}',
      many: '{count} 件のアラートが発生中（例: {title}）',
      open: 'アラートを見る',
    },
    active: '発生中',
    recent: '最近解消したもの',
    noneActive: '発生中のアラートはありません。',
    noneRecent: '最近解消したアラートはありません。',
    notEvaluated:
      'ルールはまだ評価されていません。アプリ、`guildhall console` などのスーパーバイザーがクラスターを監視している間に評価されます。',
    evaluatedAt: 'ルールの最終評価: {time}',
    since: '{time} から',
    resolvedAt: '{time} に解消',
    rules: {
      crashLoop: 'ワーカーがクラッシュを繰り返しています',
      oomKill: 'メモリ不足',
      failureRate: 'ジョブが失敗しています',
      oldestWaiting: 'ジョブの待ち時間が長すぎます',
      redisMemory: 'Redis のメモリが上限に近づいています',
      diskLow: 'ディスクの空き容量が不足しています',
      engineUnreachable: 'コンテナエンジンに接続できません',
      imageBuildFailed: 'イメージのビルドに失敗しました',
    },
    bodies: {
      crashLoop:
        '{worker} が {windowMinutes} 分間に {crashes} 回クラッシュしました。ログを確認してください。',
      oomKill: '{container} がメモリ不足で強制終了されました。',
      failureRate:
        'キュー「{queue}」で直近 {windowMinutes} 分間に {failures} 件のジョブが失敗しました。',
      oldestWaiting:
        'キュー「{queue}」の最も古い待機ジョブが {minutes} 分待っています（上限 {limit} 分）。',
      redisMemory:
        'Redis がメモリ上限の {percent} % を使用しています（{maxMb} MiB 中 {usedMb} MiB）。',
      diskLow: 'ディスクの空き容量が {freeMb} MiB しかありません（{limitMb} MiB 未満で通知）。',
      engineUnreachable: 'コンテナエンジンが {checks} 回続けて応答しませんでした。',
      imageBuildFailed: 'イメージのビルドに失敗しました（{target}）。',
    },
    webhooks: {
      title: 'Webhook',
      none: 'Webhook が設定されていません。ここで追加するか（URL はシークレットストアに保存されます）、クラスターファイルの alerts.webhooks に name・urlSecret・format（json または slack）を追加してください。',
      columns: {
        name: 'Webhook 名',
        format: '形式',
        rules: 'ルール',
        last: '最後の配信',
      },
      allRules: 'すべてのルール',
      never: 'まだ送信していません',
      delivered: '{time} に{event}を配信しました（{attempts} 回試行）',
      failed:
        '{time} の{event}の配信に失敗しました（{attempts} 回試行）: {error}（{count} 回連続）',
      test: 'テスト送信',
      testDone: 'テストを送信しました: 成功 {ok} 件、失敗 {failed} 件。',
      events: { raised: 'アラート', resolved: '解消通知', test: 'テスト' },
    },
  },
);
