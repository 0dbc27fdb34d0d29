import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ClientView } from './views/ClientView';
import { Session } from './session/session';
import { connectApi } from './ipc/api-client';
import './app/styles.css';

/** URL options (for demos and tests): ?speed=N plays the simulated session N× faster; ?seed=N. */
function numberParam(name: string, fallback: number, lo: number, hi: number): number {
  const v = Number(new URLSearchParams(location.search).get(name));
  return Number.isFinite(v) && v >= lo && v <= hi && v !== 0 ? v : fallback;
}

async function boot(): Promise<void> {
  const rootEl = document.getElementById('root');
  if (!rootEl) throw new Error('no #root element');
  const root = createRoot(rootEl);
  try {
    const api = await connectApi((reason) => {
      document.body.dataset.servicesLost = reason;
    });
    // The client's screen (second display) runs no source and records nothing: it only shows
    // what the therapist console publishes.
    if (new URLSearchParams(location.search).get('view') === 'client') {
      root.render(
        <StrictMode>
          <ClientView api={api} />
        </StrictMode>,
      );
      return;
    }
    const settings = await api.invoke('settings:get');
    if (!settings.ok) throw new Error(settings.error);
    const session = new Session({
      api,
      clock: () => performance.now(),
      speed: numberParam('speed', 1, 0.1, 64),
      seed: numberParam('seed', Math.floor(Date.now() % 100000) + 1, 1, 2 ** 31),
      pacer: settings.value.pacer,
      rmssdWindowMs: settings.value.rmssdWindowMs,
    });
    await session.start();
    root.render(
      <StrictMode>
        <App session={session} api={api} />
      </StrictMode>,
    );
    window.addEventListener('beforeunload', () => void session.dispose());
  } catch (e) {
    root.render(
      <div className="app" role="alert">
        <h1>Soothe could not start</h1>
        <p>{e instanceof Error ? e.message : String(e)}</p>
      </div>,
    );
  }
}

void boot();
