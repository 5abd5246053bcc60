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
  },
  {
    dashboard: 'ダッシュボード',
    workers: 'ワーカー',
    queues: 'キュー',
    jobs: 'ジョブ',
    logs: 'ログ',
    troubleshoot: 'トラブルシューティング',
    settings: '設定',
  },
);
