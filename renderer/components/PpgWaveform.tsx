import { useMemo, useSyncExternalStore } from 'react';
import type uPlot from 'uplot';
import type { Store } from '../session/store';
import { useUplot } from '../hooks/useUplot';
import { CHART_AXIS } from './Tachogram';

type PpgData = { readonly tS: number[]; readonly values: number[]; readonly beatsS: number[] };

const options = (): Omit<uPlot.Options, 'width' | 'height'> => ({
  legend: { show: false },
  cursor: { show: false },
  scales: { x: { time: false } },
  axes: [{ ...CHART_AXIS, label: 'session time (s)' }, { ...CHART_AXIS, size: 60 }],
  series: [{}, { stroke: '#9fb3c8', width: 1.5, points: { show: false } }, { stroke: '#f3c98b', width: 0, paths: () => null, points: { show: true, size: 8, fill: '#f3c98b' } }],
});

/** The raw optical pulse wave of a serial sensor (last 8 s) with detected beats marked. */
export function PpgWaveform({ store }: { readonly store: Store<PpgData> }) {
  const data = useSyncExternalStore(store.subscribe, store.get);
  const aligned = useMemo(() => {
    // Beat marks: the waveform value at the sample nearest each beat.
    const marks: (number | null)[] = data.values.map(() => null);
    let j = 0;
    for (const b of data.beatsS) {
      while (j < data.tS.length - 1 && (data.tS[j + 1] ?? 0) <= b) j++;
      if (j < marks.length) marks[j] = data.values[j] ?? null;
    }
    return [data.tS, data.values, marks] as unknown as uPlot.AlignedData;
  }, [data]);
  const host = useUplot(options, 120, aligned);
  return <div ref={host} role="img" data-testid="ppg-waveform" data-samples={data.values.length} aria-label={`Pulse wave, last 8 seconds, ${data.beatsS.length} beats marked`} />;
}
