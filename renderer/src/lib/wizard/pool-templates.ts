/**
 * The setup wizard's starting templates: the pools a new cluster gets beside the default pool
 * (which stays as the wizard configures it). "None" adds nothing; "tools" a built-in pool with
 * git, python3 and curl serving the `tools` queue with the shell processor (so it opts in to
 * shell jobs, which the wizard's template text says); "celery" a custom
 * pool running a Celery app named `tasks` (as resources/examples/celery builds it) on the
 * `celery` queue, which the Queues page watches; "custom" any image and command. Pure.
 */
import { IMAGE_REFERENCE_PATTERN } from '@shared/spec-limits';
import { DEFAULT_POOL, type PoolSettings } from '../pools/pool-form';

export const TEMPLATE_IDS = ['none', 'tools', 'celery', 'custom'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export interface TemplateChoice {
  id: TemplateId;
  /** The image of the celery and custom templates. */
  image: string;
  /** The custom template's command, words separated by spaces; empty: the image's own. */
  command: string;
}

export const NO_TEMPLATE: TemplateChoice = { id: 'none', image: '', command: '' };

/** The templates that ask for an image. */
export function needsImage(id: TemplateId): boolean {
  return id === 'celery' || id === 'custom';
}

/** What is wrong with the choice ('image'), or null. */
export function templateProblem(choice: TemplateChoice): 'image' | null {
  if (!needsImage(choice.id)) return null;
  const image = choice.image.trim();
  return image.length > 0 && image.length <= 255 && IMAGE_REFERENCE_PATTERN.test(image)
    ? null
    : 'image';
}

/** The pools a template adds, by name (none for "none"). */
export function templatePools(choice: TemplateChoice): Record<string, PoolSettings> {
  switch (choice.id) {
    case 'none':
      return {};
    case 'tools':
      return {
        tools: {
          ...DEFAULT_POOL,
          packages: ['git', 'python3', 'curl'],
          shell: true,
          queues: [{ name: 'tools', processor: 'shell' }],
        },
      };
    case 'celery':
      return {
        celery: {
          ...DEFAULT_POOL,
          image: choice.image.trim(),
          command: ['celery', '-A', 'tasks', 'worker', '-Q', 'celery', '--loglevel=INFO'],
          watch: { celery: ['celery'] },
        },
      };
    case 'custom': {
      const command = choice.command.trim().split(/\s+/).filter(Boolean);
      return {
        app: {
          ...DEFAULT_POOL,
          image: choice.image.trim(),
          command: command.length > 0 ? command : null,
        },
      };
    }
  }
}
