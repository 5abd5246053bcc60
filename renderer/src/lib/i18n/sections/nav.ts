import { section } from '../section';

export const nav = section(
  {
    dashboard: 'Dashboard',
    workers: 'Workers',
    queues: 'Queues',
    jobs: 'Jobs',
    logs: 'Logs',
    troubleshoot: 'Troubleshoot',
    settings: 'Settings',
    setup: 'Setup',
    main: 'Main navigation',
  },
  {
    dashboard: 'ダッシュボード',
    workers: 'ワーカー',
    queues: 'キュー',
    jobs: 'ジョブ',
    logs: 'ログ',
    troubleshoot: 'トラブルシューティング',
    settings: '設定',
    setup: 'セットアップ',
    main: 'メインナビゲーション',
  },
);
