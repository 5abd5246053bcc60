import { section } from '../section';

/** The supervisor on the Workers page: who supervises, and its recent actions (issue 15). */
export const supervisor = section(
  {
    title: 'Supervisor',
    holder: 'Supervised by {id} since {since}',
    nobody:
      'Nobody supervises this cluster: removed or failing workers are not brought back. Keep the app, `guildhall console` or `guildhall supervise` running.',
    off: 'The supervisor is off for this cluster (supervisor.enabled is false in the cluster file).',
    unreachable: 'Who supervises is not known while Redis does not answer.',
    recent: 'Recent actions',
    none: 'No actions yet.',
    events: {
      acquire: '{by} supervises the cluster',
      takeover: '{by} took over from {previous}',
      release: '{by} stopped supervising',
      lost: '{by} lost the lease',
      recreate: '{target} was missing: recreated it',
      restart: '{target} failed its healthcheck {failures} times in a row: restarted it',
      keep: '{target} failed its healthcheck {failures} times in a row but sends its heartbeat: not restarted',
      backoff: '{target} keeps crashing: stopped it; next try in {delaySeconds} s',
      retry: '{target}: try {attempt} after {waitedSeconds} s of backoff',
      recovered: '{target} runs again: the engine restarts it again',
    },
  },
  {
    title: 'スーパーバイザー',
    holder: '{id} が {since} から監視しています',
    nobody:
      'このクラスターを監視しているものはありません: 削除されたワーカーや異常なワーカーは復旧されません。アプリ、`guildhall console` または `guildhall supervise` を起動したままにしてください。',
    off: 'このクラスターのスーパーバイザーはオフです(クラスターファイルの supervisor.enabled が false)。',
    unreachable: 'Redis が応答しないため、監視しているものは分かりません。',
    recent: '最近の動作',
    none: 'まだ動作はありません。',
    events: {
      acquire: '{by} がクラスターの監視を始めました',
      takeover: '{by} が {previous} から監視を引き継ぎました',
      release: '{by} が監視を終えました',
      lost: '{by} がリースを失いました',
      recreate: '{target} が見つからないため再作成しました',
      restart: '{target} のヘルスチェックが {failures} 回続けて失敗したため再起動しました',
      keep: '{target} のヘルスチェックが {failures} 回続けて失敗しましたが、ハートビートを送っているため再起動しません',
      backoff:
        '{target} がクラッシュを繰り返すため停止しました。次の試行は {delaySeconds} 秒後です',
      retry: '{target}: {waitedSeconds} 秒待って {attempt} 回目の試行',
      recovered: '{target} が再び動いています: エンジンによる再起動に戻しました',
    },
  },
);
