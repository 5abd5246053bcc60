/** 日本語のメッセージカタログ。キーは en.ts と完全に一致させること。 */
import type { Messages } from './en';

export const ja: Messages = {
  app: {
    name: 'Guildhall',
    tagline: 'ローカルのタスク処理クラスター',
  },
  common: {
    loading: '読み込み中…',
    retry: '再試行',
    cancel: 'キャンセル',
    close: '閉じる',
    save: '保存',
    confirm: '確認',
    unknown: '不明',
    none: 'なし',
    fixHint: '対処方法: {hint}',
    error: '問題が発生しました',
  },
  nav: {
    dashboard: 'ダッシュボード',
    workers: 'ワーカー',
    queues: 'キュー',
    jobs: 'ジョブ',
    logs: 'ログ',
    troubleshoot: 'トラブルシューティング',
    settings: '設定',
  },
  cluster: {
    state: {
      running: '稼働中',
      degraded: '一部停止',
      starting: '起動中',
      stopped: '停止',
      absent: '未作成',
    },
    start: 'クラスターを起動',
    stop: 'クラスターを停止',
    workersCount: 'ワーカー: {count}',
  },
};
