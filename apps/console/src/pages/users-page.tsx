import { Route, Switch } from 'wouter';
import { UserSearch } from '../components/user-search';
import { CreateUser } from './users/create-user';
import { UserPage } from './users/user-page';
import './users/users.css';

/** Admin: find and create users (/users), and each user's page (/users/:id): edit, suspend, their keys. */
export function UsersPage() {
  return (
    <Switch>
      <Route path="/users/:id">{(params) => <UserPage key={params.id} userId={params.id} />}</Route>
      <Route>
        <section aria-labelledby="find-users-title">
          <h2 id="find-users-title">Find users</h2>
          <UserSearch noun="user" linkTo={(user) => `/users/${user.id}`} />
        </section>
        <CreateUser />
      </Route>
    </Switch>
  );
}
