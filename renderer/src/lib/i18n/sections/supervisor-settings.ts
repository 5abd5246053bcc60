import { section } from '../section';

/** The Supervisor section of the Settings page: the cluster's `supervisor` block (issue 15). */
export const supervisorSettings = section(
  {
    title: 'Supervisor',
    intro:
      'The supervisor runs inside the app, `guildhall console` or `guildhall supervise`: it brings back removed or failing workers and scales the pools that have autoscale. Changes apply on its next tick; the cluster is not recreated.',
    fields: {
      enabled: 'Supervise this cluster',
      unhealthyChecks: 'Failed health checks before a restart',
      memoryMarginMb: 'Memory kept free (MB)',
      cpuSaturatedPercent: 'Host CPU that stops scale-up (%)',
    },
    help: {
      enabled:
        'Off: nothing heals the cluster or autoscales its pools (a running supervisor stands down).',
      unhealthyChecks:
        'A worker that fails this many health checks in a row and sends no heartbeat is restarted ({min}–{max}).',
      memoryMarginMb:
        'Autoscale adds a worker only while the host keeps this much memory free beyond the worker’s own ({min}–{max}).',
      cpuSaturatedPercent:
        'Autoscale adds no worker while host CPU is at or above this; 100 turns this bound off ({min}–{max}).',
    },
    saved: 'Supervisor settings saved.',
  },
  {
    title: 'スーパーバイザー',
    intro:
      'スーパーバイザーはアプリ、`guildhall console` または `guildhall supervise` の中で動き、削除されたワーカーや異常なワーカーを復旧し、オートスケールが設定されたプールをスケールします。変更は次の周期で反映され、クラスターは再作成されません。',
    fields: {
      enabled: 'このクラスターを監視する',
      unhealthyChecks: '再起動までのヘルスチェック失敗回数',
      memoryMarginMb: '空けておくメモリ (MB)',
      cpuSaturatedPercent: 'スケールアップを止めるホスト CPU (%)',
    },
    help: {
      enabled:
        'オフにすると、クラスターの復旧もプールのオートスケールも行われません(動作中のスーパーバイザーは監視をやめます)。',
      unhealthyChecks:
        'ヘルスチェックにこの回数続けて失敗し、ハートビートも送らないワーカーを再起動します({min}〜{max})。',
      memoryMarginMb:
        'オートスケールは、ワーカー自身の分に加えてこの量のメモリがホストに残るときだけワーカーを追加します({min}〜{max})。',
      cpuSaturatedPercent:
        'ホストの CPU 使用率がこの値以上の間、オートスケールはワーカーを追加しません。100 でこの制限はオフになります({min}〜{max})。',
    },
    saved: 'スーパーバイザーの設定を保存しました。',
  },
);
