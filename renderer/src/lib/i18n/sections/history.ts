import { section } from '../section';

export const history = section(
  {
    range: 'Time range',
    ranges: { '15m': '15 min', '1h': '1 hour', '6h': '6 hours', '24h': '24 hours' },
    rangeNamed: 'Show the last {range}',
    resolution: 'One point per {step}',
    step5s: '5 s',
    step1m: 'minute',
    notRecorded:
      'No history kept yet for this span: the supervisor records it every 5 s while it runs. Live values appear as they arrive.',
    loadFailed: 'The kept history could not be read; the charts show live values only.',
    detail: {
      title: 'Worker {name}',
      back: 'Close',
      open: 'Charts of {name}',
      cpu: 'CPU',
      cpuSeries: 'CPU (% of one core)',
      memory: 'Memory',
      memorySeries: 'Memory in use',
      pool: 'Pool {pool}',
      gone: 'This worker is not running now; its kept history is shown.',
    },
  },
  {
    range: '期間',
    ranges: { '15m': '15 分', '1h': '1 時間', '6h': '6 時間', '24h': '24 時間' },
    rangeNamed: '直近 {range} を表示',
    resolution: '{step}ごとに 1 点',
    step5s: '5 秒',
    step1m: '1 分',
    notRecorded:
      'この期間の履歴はまだありません。スーパーバイザーが動いている間、5 秒ごとに記録します。ライブの値は届きしだい表示されます。',
    loadFailed: '保存された履歴を読めませんでした。グラフにはライブの値だけを表示します。',
    detail: {
      title: 'ワーカー {name}',
      back: '閉じる',
      open: '{name} のグラフ',
      cpu: 'CPU',
      cpuSeries: 'CPU（1 コアに対する %）',
      memory: 'メモリー',
      memorySeries: '使用中のメモリー',
      pool: 'プール {pool}',
      gone: 'このワーカーは今は動いていません。保存された履歴を表示しています。',
    },
  },
);
