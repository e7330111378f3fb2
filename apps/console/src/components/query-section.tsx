import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorMessage } from './error-message';
import { Loading } from './loading';

/**
 * A titled part of a page that shows one admin API read: a loading state
 * while it is on its way, the documented refusal with its tid if it fails,
 * and `children(data)` once it is here. Every such section has the same
 * shape, so it is written once; the region is named by its heading.
 */
export function QuerySection<T>({
  id,
  title,
  query,
  failure,
  children,
}: {
  /** Unique on the page: the heading's id is `${id}-title`. */
  id: string;
  title: ReactNode;
  query: UseQueryResult<T>;
  /** What could not be done, said above the refusal: "Could not list the holds." */
  failure: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {query.isPending && <Loading />}
      {query.error && <ErrorMessage error={query.error} title={failure} />}
      {query.data !== undefined && children(query.data)}
    </section>
  );
}
