import { section } from '../section';

/**
 * The pools editor's fields for how a pool's containers run (issue 14): env rows, mounts, the
 * stop timeout and a custom pool's Redis-URL env var. The reserved-name messages are the core's
 * own (shared/env-names.ts, reservedEnvReason) word for word in English.
 */
export const poolFields = section(
  {
    env: {
      title: 'Environment',
      help: 'Variables every container of this pool gets. Secrets belong under Secrets (by name), not here: these values are visible in docker inspect.',
      name: 'Name',
      value: 'Value',
      nameOf: 'Name of variable {n}',
      valueOf: 'Value of variable {n}',
      add: 'Add variable',
      remove: 'Remove',
      removeNamed: 'Remove variable {n}',
      none: 'No variables.',
      namePlaceholder: 'API_URL',
    },
    mounts: {
      title: 'Folders from this computer',
      help: 'Each folder appears in every container of this pool at its container path. Mount only what the jobs need: not /, your home folder itself, or Guildhall’s own folder. The folder must exist.',
      source: 'Folder on this computer',
      target: 'Path in the container',
      sourceOf: 'Folder of mount {n}',
      targetOf: 'Container path of mount {n}',
      readOnly: 'Read-only',
      readOnlyOf: 'Mount {n} read-only',
      add: 'Add folder',
      remove: 'Remove',
      removeNamed: 'Remove mount {n}',
      none: 'No folders.',
      sourcePlaceholder: '~/projects',
      targetPlaceholder: '/workspace',
    },
    stopTimeout: {
      label: 'Stop timeout',
      help: 'Seconds a container gets to finish its work when stopped, before it is killed.',
    },
    redisUrlEnv: {
      label: 'Redis URL variable',
      placeholder: 'CELERY_BROKER_URL',
      help: 'Optional: an env var that gets the full Redis URL, for images that read only env (e.g. CELERY_BROKER_URL). Empty: read it from the file GUILDHALL_REDIS_URL_FILE.',
      warning:
        'The URL holds the Redis password, and this variable’s value is visible to anyone who can run docker inspect on the container. Prefer the file GUILDHALL_REDIS_URL_FILE when the image can read it.',
    },
    validation: {
      envName:
        '"{name}" is not a variable name (letters, digits and _, not starting with a digit).',
      envTwice: '{name} is set twice; keep one.',
      envValue: 'Too long: at most {max} characters.',
      reservedGuildhall: '{name} is reserved: Guildhall sets GUILDHALL_* itself',
      reservedGuildhallRedis:
        '{name} is reserved: Guildhall sets GUILDHALL_REDIS_* itself, to say where Redis is',
      reservedRuntime:
        "{name} is reserved: it changes how the worker program itself runs (pass it per job in a shell job's env instead)",
      mountTarget: 'Give an absolute path in the container, e.g. /workspace (no ":").',
      mountRoot: "The container's root cannot be a mount target.",
      mountTwice: '{target} is mounted twice.',
    },
  },
  {
    env: {
      title: '環境変数',
      help: 'このプールのすべてのコンテナーに渡す変数です。シークレットはここではなく「シークレット」に名前で指定してください。ここの値は docker inspect で見えます。',
      name: '名前',
      value: '値',
      nameOf: '変数 {n} の名前',
      valueOf: '変数 {n} の値',
      add: '変数を追加',
      remove: '削除',
      removeNamed: '変数 {n} を削除',
      none: '変数はありません。',
      namePlaceholder: 'API_URL',
    },
    mounts: {
      title: 'このコンピューターのフォルダー',
      help: '各フォルダーはこのプールのすべてのコンテナーのコンテナー内パスに現れます。ジョブに必要なものだけをマウントしてください。/、ホームフォルダーそのもの、Guildhall 自身のフォルダーは使えません。フォルダーは存在している必要があります。',
      source: 'このコンピューターのフォルダー',
      target: 'コンテナー内のパス',
      sourceOf: 'マウント {n} のフォルダー',
      targetOf: 'マウント {n} のコンテナー内パス',
      readOnly: '読み取り専用',
      readOnlyOf: 'マウント {n} を読み取り専用にする',
      add: 'フォルダーを追加',
      remove: '削除',
      removeNamed: 'マウント {n} を削除',
      none: 'フォルダーはありません。',
      sourcePlaceholder: '例: ~/projects',
      targetPlaceholder: '例: /workspace',
    },
    stopTimeout: {
      label: '停止の猶予',
      help: '停止するとき、強制終了の前にコンテナーが処理を終えるまで待つ秒数です。',
    },
    redisUrlEnv: {
      label: 'Redis URL の変数',
      placeholder: 'CELERY_BROKER_URL',
      help: '任意: 環境変数しか読まないイメージのために、Redis の完全な URL を渡す変数名です(例: CELERY_BROKER_URL)。空欄なら GUILDHALL_REDIS_URL_FILE のファイルから読みます。',
      warning:
        'この URL には Redis のパスワードが含まれ、この変数の値はコンテナーに docker inspect を実行できる人なら誰でも見られます。イメージが読めるなら GUILDHALL_REDIS_URL_FILE のファイルを使ってください。',
    },
    validation: {
      envName: '「{name}」は変数名ではありません(英字・数字・_ で、数字で始めません)。',
      envTwice: '{name} が 2 回指定されています。1 つにしてください。',
      envValue: '長すぎます。最大 {max} 文字です。',
      reservedGuildhall: '{name} は予約されています: GUILDHALL_* は Guildhall 自身が設定します',
      reservedGuildhallRedis:
        '{name} は予約されています: GUILDHALL_REDIS_* は Redis の場所を伝えるため Guildhall 自身が設定します',
      reservedRuntime:
        '{name} は予約されています: ワーカープログラム自体の動作を変えてしまいます(shell ジョブの env でジョブごとに渡してください)',
      mountTarget: 'コンテナー内の絶対パスを指定してください(例: /workspace、「:」は使えません)。',
      mountRoot: 'コンテナーのルートはマウント先にできません。',
      mountTwice: '{target} が 2 回マウントされています。',
    },
  },
);
