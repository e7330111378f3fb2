import { Redirect, Route, Router, Switch } from 'wouter';
import { mayEnter } from '@tollgate/contracts/admin-areas';
import { Loading } from './components/loading';
import { Layout } from './layout/layout';
import { PAGES } from './pages/pages';
import { useSessionControls } from './session/session-context';
import { SignInPage } from './session/sign-in-page';

/**
 * The routes under /console. wouter rather than react-router: the console
 * needs declarative routes, links and a base path only, which wouter does in
 * about 2 KB gzipped (react-router 7 brings its data router and more for ten
 * times that). A path the role may not enter is not routed at all: it reads
 * as not found, like a page that does not exist.
 */
export function App() {
  const { state } = useSessionControls();
  if (state.status === 'checking') {
    return (
      <main className="sign-in" id="main">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (state.status === 'signed-out') return <SignInPage notice={state.notice} />;
  const pages = PAGES.filter((page) => mayEnter(state.session.user.role, page.area));
  return (
    <Router base="/console">
      <Switch>
        {pages.map(({ path, title, component: Page }) => (
          // `/*?`: the page also owns its sub-paths (/customers/:id), which it routes itself with full paths.
          <Route key={path} path={`${path}/*?`}>
            <Layout title={title}>
              <Page />
            </Layout>
          </Route>
        ))}
        <Route path="/">{pages[0] ? <Redirect to={pages[0].path} replace /> : <NoPages />}</Route>
        <Route>
          <Layout title="Not found">
            <p>There is no such page in the console.</p>
          </Layout>
        </Route>
      </Switch>
    </Router>
  );
}

/** A role with no area (a `user` key is refused at sign-in, so this is a safeguard, not a path). */
function NoPages() {
  return (
    <Layout title="Nothing to show">
      <p>Your role has no pages in the console.</p>
    </Layout>
  );
}
