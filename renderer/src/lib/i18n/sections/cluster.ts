import { section } from '../section';

export const cluster = section(
  {
    state: {
      running: 'Running',
      degraded: 'Degraded',
      starting: 'Starting',
      stopped: 'Stopped',
      absent: 'Not created',
    },
    start: 'Start cluster',
    stop: 'Stop cluster',
    workersCount: 'Workers: {count}',
  },
  {
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
);
