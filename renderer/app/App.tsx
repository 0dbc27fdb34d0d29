import { useState, useSyncExternalStore } from 'react';
import type { SootheApi } from '../../shared/ipc/contract';
import type { Session } from '../session/session';
import { VIEWS } from '../views/registry';

function initialView(): string {
  const v = new URLSearchParams(location.search).get('view');
  return VIEWS.some((x) => x.id === v) ? (v as string) : 'practice';
}

/** The shell: navigation between screens, the live status line, the safety line and notices. */
export function App({ session, api }: { readonly session: Session; readonly api: SootheApi }) {
  const ui = useSyncExternalStore(session.ui.subscribe, session.ui.get);
  const [viewId, setViewId] = useState(initialView);
  const view = VIEWS.find((v) => v.id === viewId) ?? VIEWS[0];
  const go = (id: string, params: Readonly<Record<string, string>> = {}): void => {
    const url = new URL(location.href);
    url.searchParams.set('view', id);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    history.replaceState(null, '', url);
    setViewId(id);
  };
  const nav = VIEWS.filter((v) => v.nav);
  if (!view) return null;
  const View = view.component;

  return (
    <div className="app">
      <header className="top">
          <h1>Soothe</h1>
          {nav.length > 1 ? (
            <nav aria-label="Screens">
              {nav.map((v) => (
                <button key={v.id} type="button" aria-current={v.id === view.id ? 'page' : undefined} onClick={() => go(v.id)}>
                  {v.title}
                </button>
              ))}
            </nav>
          ) : null}
          <p className="status" aria-live="polite">
            {ui.sourceLabel}
            {ui.recording.sessionId ? ' · recording' : ''}
          </p>
      </header>
      <main className="main">
        <View session={session} api={api} navigate={go} />
      </main>
      <footer className="foot">
        <p>Breathe gently; stop if you feel dizzy or uncomfortable. Soothe is a training tool, not a medical device.</p>
        {ui.recording.error ? (
          <p role="alert" className="notice">
            {ui.recording.error}
          </p>
        ) : null}
      </footer>
    </div>
  );
}
