import { useEffect, useRef, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A live uPlot chart in a div: created once (with the options `make` returns), resized with its
 * container, and fed new data on every change of `data` — the cheap path for low-rate live charts.
 */
export function useUplot(make: () => Omit<uPlot.Options, 'width' | 'height'>, height: number, data: uPlot.AlignedData): RefObject<HTMLDivElement | null> {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const makeRef = useRef(make);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts = makeRef.current();
    const p = new uPlot({ ...opts, width: el.clientWidth || 600, height }, opts.series.map(() => []) as unknown as uPlot.AlignedData, el);
    plot.current = p;
    const ro = new ResizeObserver(() => p.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, [height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return host;
}
