import { section } from '../section';

/**
 * A pool's autoscale on the workers page (issue 15): the block from the settings and the
 * supervisor's recent scale decisions, worded from each event's numbers (`detail`).
 */
export const autoscale = section(
  {
    title: 'Autoscale',
    on: 'On',
    off: 'Off',
    offHint:
      'This pool keeps its worker count. Add an autoscale block in Settings or the cluster file to scale it on its backlog.',
    range: 'min {min} · max {max}',
    target: 'target {target}',
    perWorker: '{count} waiting per worker',
    cooldown: 'cooldown {seconds}',
    recent: 'Recent decisions',
    none: 'No decisions yet: one is recorded when the backlog changes the count or something holds it.',
    event: {
      scaleUp: '{from} → {to}: {backlog} waiting, target {perWorker} per worker',
      scaleDown: '{from} → {to}: {backlog} waiting, target {perWorker} per worker',
      wanted: ' (wanted {wanted})',
    },
    hold: {
      memory:
        'Held at {to} (wanted {wanted}): {free} memory free, {perWorker} per worker + {margin} margin',
      cpu: 'Held at {to} (wanted {wanted}): host CPU {cpu} ≥ {limit}',
      limit:
        'Held at {to} (wanted {wanted}): {total} containers in all pools, the limit is {limit}',
      cooldown: 'Held at {to} (wanted {wanted}): cooling down, {left} left of {cooldown}',
      busy: 'Held at {to} (wanted {wanted}): workers {busy} are busy',
      hostUnknown: "Held at {to} (wanted {wanted}): the host's free memory could not be read",
      failed: 'Held at {to}: scaling failed: {error}',
    },
  },
  {
    title: 'オートスケール',
    on: 'オン',
    off: 'オフ',
    offHint:
      'このプールはワーカー数を固定で維持します。バックログに応じて増減させるには、設定またはクラスターファイルに autoscale ブロックを追加してください。',
    range: '最小 {min} · 最大 {max}',
    target: '目標 {target}',
    perWorker: 'ワーカーあたり待機 {count} 件',
    cooldown: 'クールダウン {seconds}',
    recent: '最近の判断',
    none: 'まだ判断はありません。バックログでワーカー数が変わるとき、または何かが増減を止めたときに記録されます。',
    event: {
      scaleUp: '{from} → {to}: 待機 {backlog} 件、ワーカーあたり目標 {perWorker} 件',
      scaleDown: '{from} → {to}: 待機 {backlog} 件、ワーカーあたり目標 {perWorker} 件',
      wanted: '（必要数 {wanted}）',
    },
    hold: {
      memory:
        '{to} のまま（必要数 {wanted}）: 空きメモリ {free}、ワーカーあたり {perWorker} + 余裕分 {margin}',
      cpu: '{to} のまま（必要数 {wanted}）: ホストの CPU 使用率 {cpu} ≥ {limit}',
      limit: '{to} のまま（必要数 {wanted}）: 全プールで {total} コンテナ、上限は {limit}',
      cooldown: '{to} のまま（必要数 {wanted}）: クールダウン中、残り {left}（全体 {cooldown}）',
      busy: '{to} のまま（必要数 {wanted}）: ワーカー {busy} がジョブを実行中',
      hostUnknown: '{to} のまま（必要数 {wanted}）: ホストの空きメモリを読み取れませんでした',
      failed: '{to} のまま: スケールに失敗しました: {error}',
    },
  },
);
