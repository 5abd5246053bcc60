import { section } from '../section';

export const secrets = section(
  {
    title: 'Secrets',
    intro:
      'Values such as API keys that pools name in their secrets. A pool gets each as the file /run/secrets/NAME (and, in built-in pools, as the env variable NAME in shell jobs and processor files). Stored values are never shown again.',
    empty: 'No secrets stored.',
    name: 'Name',
    value: 'Value',
    namePlaceholder: 'e.g. ANTHROPIC_API_KEY',
    valuePlaceholder: 'Paste the value',
    newValuePlaceholder: 'New value for {name}',
    add: 'Add secret',
    replace: 'Replace value',
    save: 'Save value',
    cancel: 'Cancel',
    remove: 'Remove',
    confirmRemove:
      'Remove the secret {name}? Pools naming it will not start until it is set again.',
    usedBy: 'Used by {pools}',
    unused: 'Not used by any pool',
    notStored: 'Not stored: a pool names it, so the cluster will not start until it is set.',
    saved: 'Secret {name} saved. Pools naming it get it from the next start.',
    removed: 'Secret {name} removed.',
    nameRule: 'Use letters, digits and _, starting with a letter or _.',
    valueRule: 'Enter at least 4 characters.',
  },
  {
    title: 'シークレット',
    intro:
      'プールが secrets で指定する API キーなどの値です。プールは各値をファイル /run/secrets/NAME として受け取ります(組み込みプールではシェルジョブとプロセッサファイルの環境変数 NAME としても)。保存した値は二度と表示されません。',
    empty: 'シークレットは保存されていません。',
    name: '名前',
    value: '値',
    namePlaceholder: '例: ANTHROPIC_API_KEY',
    valuePlaceholder: '値を貼り付け',
    newValuePlaceholder: '{name} の新しい値',
    add: 'シークレットを追加',
    replace: '値を置き換え',
    save: '値を保存',
    cancel: 'キャンセル',
    remove: '削除',
    confirmRemove:
      'シークレット {name} を削除しますか?これを指定するプールは、再び設定されるまで起動できません。',
    usedBy: '使用中のプール: {pools}',
    unused: 'どのプールも使用していません',
    notStored: '未保存: プールが指定しているため、設定されるまでクラスターは起動できません。',
    saved: 'シークレット {name} を保存しました。指定するプールには次回の起動から渡されます。',
    removed: 'シークレット {name} を削除しました。',
    nameRule: '英字・数字・_ を使い、英字か _ で始めてください。',
    valueRule: '4 文字以上を入力してください。',
  },
);
