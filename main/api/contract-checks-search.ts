/**
 * Compile-time guard for the job-search schemas (as contract-checks.ts does for the rest): if a
 * core type changes, `tsc` fails here. Nothing in this file runs.
 */
import type { z } from 'zod';
import type { JobSearchPage, SearchJobsInput } from '../queues/job-search';
import type * as s from '@shared/schemas/search';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Accepts<Core, Contract> = [Contract] extends [Core] ? true : false;
type Check<T extends true> = T;

export type SearchContractChecks = [
  Check<Same<z.output<typeof s.jobSearchPageSchema>, JobSearchPage>>,
  Check<Accepts<SearchJobsInput, z.output<typeof s.searchJobsInputSchema>>>,
];
