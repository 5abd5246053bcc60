import { section } from '../section';

/** The Export page: the cluster as files for another engine (compose, Swarm, Kubernetes). */
export const exportPage = section(
  {
    intro:
      'Hand this cluster to an engine that spans machines: a compose file for Docker Compose and Docker Swarm, or Kubernetes manifests. Preview the files here; the command below writes them with their secret files.',
    kinds: { compose: 'Compose and Swarm', kubernetes: 'Kubernetes' },
    tabs: 'Export format',
    registry: 'Registry for the images (optional)',
    registryPlaceholder: 'e.g. registry.example.com:5000/team',
    registryHint: 'Push the images there first: guildhall image push REGISTRY',
    namespace: 'Namespace',
    keda: 'KEDA autoscaling for autoscaled pools',
    preview: 'Preview',
    download: 'Download',
    command: 'Write the files, secrets included, with:',
    copyCommand: 'Copy command',
    copied: 'Copied',
    warnings: 'Before these files run',
    files: 'Files',
    secretFiles: 'Secret files',
    secretFilesNote:
      'Their values never leave Guildhall in a preview or a download: the command above writes them (mode 0600).',
    empty: 'Nothing to show yet.',
  },
  {
    intro:
      'このクラスターを複数マシンにまたがるエンジンへ引き渡します。Docker Compose と Docker Swarm 用の compose ファイル、または Kubernetes マニフェストです。ここでファイルをプレビューし、下のコマンドでシークレットファイルと一緒に書き出します。',
    kinds: { compose: 'Compose と Swarm', kubernetes: 'Kubernetes マニフェスト' },
    tabs: 'エクスポート形式',
    registry: 'イメージのレジストリ（任意）',
    registryPlaceholder: '例: registry.example.com:5000/team',
    registryHint: '先にイメージをプッシュしてください: guildhall image push REGISTRY',
    namespace: '名前空間',
    keda: '自動スケールするプールに KEDA を使う',
    preview: 'プレビュー',
    download: 'ダウンロード',
    command: 'シークレットを含めてファイルを書き出すコマンド:',
    copyCommand: 'コマンドをコピー',
    copied: 'コピーしました',
    warnings: 'これらのファイルを動かす前に',
    files: 'ファイル',
    secretFiles: 'シークレットファイル',
    secretFilesNote:
      'シークレットの値はプレビューにもダウンロードにも含まれません。上のコマンドが書き出します（モード 0600）。',
    empty: 'まだ表示するものがありません。',
  },
);
