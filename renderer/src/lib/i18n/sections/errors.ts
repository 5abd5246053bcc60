import { section } from '../section';

/**
 * A headline per API error code. The core's own message (English, with the exact names, ports
 * and paths) is shown under it; in English the message alone says it all.
 */
export const errors = section(
  {
    'engine-not-installed': 'No container engine is installed',
    'engine-not-running': 'The container engine is not running',
    'engine-permission-denied': 'Not allowed to use the container engine',
    'engine-too-old': 'The container engine is too old',
    'engine-unreachable': 'The container engine cannot be reached',
    'engine-failed': 'The container engine reported a failure',
    'port-in-use': 'The port is already in use',
    'image-missing': 'An image is missing',
    'image-pull-failed': 'An image could not be downloaded',
    'image-build-failed': 'The worker image could not be built',
    'image-load-failed': 'The image file could not be loaded',
    'image-push-failed': 'An image could not be pushed to the registry',
    'settings-invalid': 'The settings are not valid',
    'invalid-input': 'Some input is not valid',
    'not-found': 'Not found',
    'cluster-not-running': 'The cluster is not running',
    'redis-unavailable': 'Redis is not answering',
    timeout: 'This took too long',
    cancelled: 'Cancelled',
    internal: 'Something went wrong inside Guildhall',
    details: 'Details (in English)',
  },
  {
    'engine-not-installed': 'コンテナーエンジンがインストールされていません',
    'engine-not-running': 'コンテナーエンジンが起動していません',
    'engine-permission-denied': 'コンテナーエンジンを使う権限がありません',
    'engine-too-old': 'コンテナーエンジンのバージョンが古すぎます',
    'engine-unreachable': 'コンテナーエンジンに接続できません',
    'engine-failed': 'コンテナーエンジンがエラーを返しました',
    'port-in-use': 'ポートはすでに使用されています',
    'image-missing': 'イメージがありません',
    'image-pull-failed': 'イメージをダウンロードできませんでした',
    'image-build-failed': 'ワーカーイメージをビルドできませんでした',
    'image-load-failed': 'イメージファイルを読み込めませんでした',
    'image-push-failed': 'イメージをレジストリにプッシュできませんでした',
    'settings-invalid': '設定が正しくありません',
    'invalid-input': '入力に誤りがあります',
    'not-found': '見つかりません',
    'cluster-not-running': 'クラスターが起動していません',
    'redis-unavailable': 'Redis が応答しません',
    timeout: '時間内に完了しませんでした',
    cancelled: 'キャンセルしました',
    internal: 'Guildhall 内部で問題が発生しました',
    details: '詳細（英語）',
  },
);
