import { section } from '../section';

/** The Settings notice shown when the cluster uses an external Redis (spec.redis.external). */
export const externalRedis = section(
  {
    title: 'This cluster uses an external Redis',
    body: 'Guildhall runs no Redis container for it: every pool and this console connect to the Redis below. The port, persistence and Redis image settings do not apply.',
    url: 'URL',
    user: 'User',
    passwordSecret: 'Password (secret)',
    noPassword: 'none',
    tls: 'TLS',
    tlsOn: 'verified against {caFile}',
    tlsOff: 'off',
    change: 'Change it in the cluster file (redis.external) and run guildhall apply.',
  },
  {
    title: 'このクラスターは外部の Redis を使用しています',
    body: 'Guildhall はこのクラスター用の Redis コンテナーを起動しません。すべてのプールとこのコンソールは下記の Redis に接続します。ポート、永続化、Redis イメージの設定は適用されません。',
    url: 'URL',
    user: 'ユーザー',
    passwordSecret: 'パスワード（シークレット）',
    noPassword: 'なし',
    tls: 'TLS',
    tlsOn: '{caFile} で検証',
    tlsOff: 'オフ',
    change: 'クラスターファイル（redis.external）で変更し、guildhall apply を実行してください。',
  },
);
