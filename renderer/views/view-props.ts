import type { SootheApi } from '../../shared/ipc/contract';
import type { Session } from '../session/session';

/** What every screen receives: the live session, the services, and a way to go to another screen. */
export interface ViewProps {
  readonly session: Session;
  readonly api: SootheApi;
  /** Show another screen, with extra URL parameters (e.g. { session: id } for the report). */
  readonly navigate?: (viewId: string, params?: Readonly<Record<string, string>>) => void;
}
