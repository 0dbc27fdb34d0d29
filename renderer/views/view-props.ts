import type { SootheApi } from '../../shared/ipc/contract';
import type { Session } from '../session/session';

/** What every screen receives: the live session and the services. */
export interface ViewProps {
  readonly session: Session;
  readonly api: SootheApi;
}
