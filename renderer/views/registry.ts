/**
 * The app's screens. Each is a component taking ViewProps; add a screen with one entry here.
 * `nav: false` screens are reachable only by URL (`?view=<id>`), e.g. a client's second window.
 */
import type { ComponentType } from 'react';
import type { ViewProps } from './view-props';
import { PracticeView } from './PracticeView';
import { SessionsView } from './SessionsView';
import { TherapistView } from './TherapistView';
import { ReportView } from './ReportView';
import { LslView } from './LslView';
import { AssessmentView } from './AssessmentView';

export interface ViewEntry {
  readonly id: string;
  readonly title: string;
  readonly component: ComponentType<ViewProps>;
  readonly nav: boolean;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: 'practice', title: 'Practice', component: PracticeView, nav: true },
  { id: 'assessment', title: 'Resonance', component: AssessmentView, nav: true },
  { id: 'sessions', title: 'Sessions', component: SessionsView, nav: true },
  { id: 'therapist', title: 'Therapist', component: TherapistView, nav: true },
  { id: 'report', title: 'Report', component: ReportView, nav: false },
  { id: 'lsl', title: 'Lab streaming', component: LslView, nav: true },
];
