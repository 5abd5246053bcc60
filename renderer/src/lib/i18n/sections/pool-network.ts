import { section } from '../section';

/** The pool editor's network options (pool-spec.ts: `network`, `allowPrivateNetworks`). */
export const poolNetwork = section(
  {
    internal: 'Internal network only',
    internalHelp:
      'The pool’s containers reach Redis and nothing else: no internet, no host, no other containers. Needs the cluster’s own Redis (not an external one).',
    allowPrivate: 'Http jobs may reach private addresses',
    allowPrivateHelp:
      'Private and loopback addresses (10/8, 172.16/12, 192.168/16…) and the host. Link-local addresses (cloud metadata) are refused always.',
  },
  {
    internal: '内部ネットワークのみ',
    internalHelp:
      'プールのコンテナーは Redis にだけ接続でき、インターネット・ホスト・他のコンテナーには届きません。クラスター自身の Redis が必要です(外部の Redis では使えません)。',
    allowPrivate: 'http ジョブからプライベートアドレスへの接続を許可する',
    allowPrivateHelp:
      'プライベートアドレスとループバック(10/8、172.16/12、192.168/16 など)とホストです。リンクローカルアドレス(クラウドのメタデータ)は常に拒否します。',
  },
);
