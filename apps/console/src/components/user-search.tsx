import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { UserList, UserResponse } from '@tollgate/contracts';
import { api } from '../api/client';
import { ErrorMessage } from './error-message';
import { Field } from './field';
import { Loading } from './loading';
import { Pager, useCursorPages } from './pager';

const PAGE_SIZE = 50;

/**
 * The users matching a search (part of a name or e-mail, or an id), a page at
 * a time; every user without one. Billing staff find customers with it,
 * admins users and the owners of keys: `noun` names them ("customer",
 * "user"), `linkTo` is where a name leads.
 */
export function UserSearch({
  noun,
  linkTo,
  label = `Find a ${noun}`,
}: {
  noun: string;
  linkTo: (user: UserResponse) => string;
  label?: string;
}) {
  const nouns = `${noun.charAt(0).toUpperCase()}${noun.slice(1)}s`;
  const [search, setSearch] = useState('');
  const pages = useCursorPages();
  const users = useQuery({
    queryKey: ['users', search, pages.cursor],
    queryFn: ({ signal }) =>
      api.get<UserList>('/users', { search: search || undefined, limit: PAGE_SIZE, cursor: pages.cursor }, signal),
    placeholderData: keepPreviousData,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = new FormData(event.currentTarget).get('search');
    setSearch(typeof text === 'string' ? text.trim() : '');
    pages.reset();
  }

  return (
    <>
      <form role="search" onSubmit={submit} className="search-form">
        <Field label={label} hint="Part of a name or e-mail address, or a user id">
          {(props) => <input {...props} name="search" type="search" autoComplete="off" />}
        </Field>
        <button type="submit">Search</button>
      </form>
      {users.error && <ErrorMessage error={users.error} title={`Could not list ${noun}s.`} />}
      {/* While a new search or page loads, the last answer is not shown under the new caption. */}
      {(users.isPending || users.isPlaceholderData) && <Loading label={`Finding ${noun}s…`} />}
      {users.data && !users.isPlaceholderData && (
        <>
          {users.data.data.length === 0 ? (
            <p role="status">{search ? `No ${noun} matches “${search}”.` : 'There are no users yet.'}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption>{search ? `${nouns} matching “${search}”` : `All ${noun}s`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">E-mail</th>
                    <th scope="col">Role</th>
                    <th scope="col">Group</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.data.map((user) => (
                    <tr key={user.id}>
                      <td>
                        <Link href={linkTo(user)}>{user.name}</Link>
                      </td>
                      <td>{user.email ?? '—'}</td>
                      <td>{user.role}</td>
                      <td>{user.group}</td>
                      <td>{user.status}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager pages={pages} nextCursor={users.data.next_cursor} busy={users.isFetching} label={`${nouns} pages`} />
        </>
      )}
    </>
  );
}
