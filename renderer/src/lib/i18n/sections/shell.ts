import { section } from '../section';

export const shell = section(
  {
    disconnected: 'Lost the connection to Guildhall. Reconnecting…',
    disconnectedHint:
      'If this lasts, check that Guildhall (or `guildhall console`) is still running.',
    notices: 'Notifications',
    showSteps: 'Show steps',
    hideSteps: 'Hide steps',
    clusterCard: 'Cluster status',
    engineUnreachable: 'Engine not reachable',
    skipToContent: 'Skip to content',
  },
  {
    disconnected: 'Guildhall との接続が切れました。再接続しています…',
    disconnectedHint:
      '長く続く場合は、Guildhall（または `guildhall console`）が動いているか確認してください。',
    notices: '通知',
    showSteps: '手順を表示',
    hideSteps: '手順を隠す',
    clusterCard: 'クラスターの状態',
    engineUnreachable: 'エンジンに接続できません',
    skipToContent: '本文へスキップ',
  },
);
