import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { mayEnter, type AdminArea } from '@tollgate/contracts/admin-areas';
import { ErrorMessage } from '../components/error-message';
import { AREA_TITLES, PAGES } from '../pages/pages';
import { useSession, useSessionControls } from '../session/session-context';

/** True on a page's own path and on its sub-paths (/customers/42 is within /customers). */
const isWithin = (location: string, path: string) => location === path || location.startsWith(`${path}/`);

/** The signed-in frame: who is signed in, the nav (only what the role may enter), sign-out, and the page. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const session = useSession();
  const { signOut } = useSessionControls();
  const [location] = useLocation();
  const [signOutError, setSignOutError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const areas = (Object.keys(AREA_TITLES) as AdminArea[]).filter((area) => mayEnter(session.user.role, area));

  // A route change moves focus to the new page's heading, as a page load would for keyboard and screen reader users.
  useEffect(() => {
    heading.current?.focus();
    document.title = `${title} · Tollgate console`;
  }, [location, title]);

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Tollgate console</span>
        <span className="who">
          {session.user.name} <span className="role">{session.user.role}</span>
        </span>
        <button
          type="button"
          onClick={() => {
            setSignOutError(null);
            signOut().catch(setSignOutError);
          }}
        >
          Sign out
        </button>
      </header>
      {signOutError !== null && <ErrorMessage error={signOutError} title="Could not sign out." />}
      <nav className="side" aria-label="Console">
        {areas.map((area) => (
          <section key={area} aria-labelledby={`nav-${area}`}>
            <h2 id={`nav-${area}`}>{AREA_TITLES[area]}</h2>
            <ul>
              {PAGES.filter((page) => page.area === area).map((page) => (
                <li key={page.path}>
                  <Link href={page.path} aria-current={isWithin(location, page.path) ? 'page' : undefined}>
                    {page.title}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </nav>
      <main id="main" className="page">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </main>
    </div>
  );
}
