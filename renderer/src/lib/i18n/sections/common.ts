import { section } from '../section';

export const common = section(
  {
    loading: 'Loading…',
    retry: 'Retry',
    cancel: 'Cancel',
    close: 'Close',
    save: 'Save',
    confirm: 'Confirm',
    unknown: 'Unknown',
    none: 'None',
    fixHint: 'How to fix: {hint}',
    error: 'Something went wrong',
  },
  {
    loading: '読み込み中…',
    retry: '再試行',
    cancel: 'キャンセル',
    close: '閉じる',
    save: '保存',
    confirm: '確認',
    unknown: '不明',
    none: 'なし',
    fixHint: '対処方法: {hint}',
    error: '問題が発生しました',
  },
);
