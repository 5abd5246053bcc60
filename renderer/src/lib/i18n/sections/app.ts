import { section } from '../section';

export const app = section(
  {
    name: 'Guildhall',
    tagline: 'Your local task-processing cluster',
  },
  {
    name: 'Guildhall',
    tagline: 'ローカルのタスク処理クラスター',
  },
);
