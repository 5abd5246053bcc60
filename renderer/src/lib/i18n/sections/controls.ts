import { section } from '../section';

export const controls = section(
  {
    cancel: 'Cancel job',
    cancelHint: 'Stop this running job in its worker; it fails "cancelled by user"',
    cancelled: 'Job {id} was cancelled; it is now {state}.',
    limits: {
      title: 'Limits of queue {queue}',
      intro:
        'These limits hold across every worker of the cluster. Leave a field empty for no limit.',
      concurrency: 'Most jobs running at once',
      concurrencyHint: 'Across all workers; 1 runs the queue one job at a time.',
      rateMax: 'Most jobs started',
      rateDuration: 'Per (milliseconds)',
      unlimited: 'No limit',
      save: 'Save limits',
      saved: 'Limits of queue {queue} saved.',
      edit: 'Limits…',
      none: 'No limits',
      concurrencyShort: 'At most {count} at once',
      rateShort: '{max} per {duration}',
      label: 'Limits',
      problem: {
        concurrency: 'Most jobs running at once must be a whole number from 1 to 10,000.',
        rateMax: 'Most jobs started must be a whole number from 1 to 1,000,000.',
        rateDurationMs: 'The period must be a whole number of milliseconds from 1 to 86,400,000.',
        ratePair: 'A rate limit needs both the number of jobs and the period.',
      },
    },
  },
  {
    cancel: 'ジョブを中止',
    cancelHint:
      'ワーカーで実行中のこのジョブを止めます。ジョブは「cancelled by user」で失敗になります',
    cancelled: 'ジョブ {id} を中止しました。現在の状態: {state}',
    limits: {
      title: 'キュー {queue} の制限',
      intro: 'この制限はクラスターのすべてのワーカーに共通です。空欄は制限なしです。',
      concurrency: '同時に実行する最大ジョブ数',
      concurrencyHint: 'すべてのワーカーの合計です。1 にするとジョブを 1 件ずつ実行します。',
      rateMax: '開始する最大ジョブ数',
      rateDuration: '期間（ミリ秒）',
      unlimited: '制限なし',
      save: '制限を保存',
      saved: 'キュー {queue} の制限を保存しました。',
      edit: '制限…',
      none: '制限なし',
      concurrencyShort: '同時に最大 {count} 件',
      rateShort: '{duration} あたり {max} 件',
      label: '制限',
      problem: {
        concurrency: '同時に実行する最大ジョブ数は 1〜10,000 の整数で指定してください。',
        rateMax: '開始する最大ジョブ数は 1〜1,000,000 の整数で指定してください。',
        rateDurationMs: '期間は 1〜86,400,000 ミリ秒の整数で指定してください。',
        ratePair: 'レート制限にはジョブ数と期間の両方が必要です。',
      },
    },
  },
);
