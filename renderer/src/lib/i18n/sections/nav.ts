import { section } from '../section';

export const nav = section(
  {
    dashboard: 'Dashboard',
    workers: 'Workers',
    queues: 'Queues',
    jobs: 'Jobs',
    search: 'Search',
    schedules: 'Schedules',
    flows: 'Flows',
    logs: 'Logs',
    activity: 'Activity',
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
    search: '検索',
    schedules: 'スケジュール',
    flows: 'フロー',
    logs: 'ログ',
    activity: 'アクティビティ',
    troubleshoot: 'トラブルシューティング',
    settings: '設定',
    setup: 'セットアップ',
    main: 'メインナビゲーション',
  },
);
