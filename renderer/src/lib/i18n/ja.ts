/** The Japanese catalogue, assembled from the same sections as en.ts. */
import { sections, type Messages } from './en';

export const ja = Object.fromEntries(
  Object.entries(sections).map(([key, value]) => [key, value.ja]),
) as Messages;
