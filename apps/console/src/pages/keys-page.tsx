import { Route, Switch } from 'wouter';
import { UserSearch } from '../components/user-search';
import { KeyOwnerPage } from './keys/key-owner-page';

/** Admin: find a key's owner (/keys), and that user's keys, made, changed and revoked (/keys/:userId). */
export function KeysPage() {
  return (
    <Switch>
      <Route path="/keys/:userId">{(params) => <KeyOwnerPage userId={params.userId} />}</Route>
      <Route>
        <UserSearch noun="user" label="Find the key's owner" linkTo={(user) => `/keys/${user.id}`} />
      </Route>
    </Switch>
  );
}
