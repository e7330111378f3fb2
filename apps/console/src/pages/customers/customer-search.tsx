import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { UserList } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { Loading } from '../../components/loading';
import { Pager, useCursorPages } from '../../components/pager';

const PAGE_SIZE = 50;

/** The users matching a search (part of a name or e-mail, or an id), a page at a time; every user without one. */
export function CustomerSearch() {
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
        <Field label="Find a customer" hint="Part of a name or e-mail address, or a user id">
          {(props) => <input {...props} name="search" type="search" autoComplete="off" />}
        </Field>
        <button type="submit">Search</button>
      </form>
      {users.error && <ErrorMessage error={users.error} title="Could not list customers." />}
      {/* While a new search or page loads, the last answer is not shown under the new caption. */}
      {(users.isPending || users.isPlaceholderData) && <Loading label="Finding customers…" />}
      {users.data && !users.isPlaceholderData && (
        <>
          {users.data.data.length === 0 ? (
            <p role="status">{search ? `No customer matches “${search}”.` : 'There are no users yet.'}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption>{search ? `Customers matching “${search}”` : 'All customers'}</caption>
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
                        <Link href={`/customers/${user.id}`}>{user.name}</Link>
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
          <Pager pages={pages} nextCursor={users.data.next_cursor} busy={users.isFetching} label="Customer pages" />
        </>
      )}
    </>
  );
}
