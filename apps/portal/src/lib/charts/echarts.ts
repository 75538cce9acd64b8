import type { Action } from 'svelte/action';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { init, use, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

// Register only what the portal's charts use; add a chart type here when a builder needs it.
use([BarChart, LineChart, HeatmapChart, GridComponent, TooltipComponent, MarkLineComponent, LegendComponent, VisualMapComponent, AriaComponent, SVGRenderer]);

/** The element an `echarts` action is on: the instance is readable by browser tests. */
export type EChartsHost = HTMLElement & { readonly echartsInstance?: ECharts };

/**
 * The one place ECharts meets the DOM: `<div use:echarts={option}>`. Initialises an SVG chart on
 * mount, replaces the option when it changes, follows the element's size, and disposes on destroy.
 * While rendering, `data-chart-state` is `rendering`; after each render it is `rendered`.
 */
export const echarts: Action<HTMLElement, EChartsOption> = (node, option) => {
  const chart = init(node, null, { renderer: 'svg', locale: 'EN' });
  Object.defineProperty(node, 'echartsInstance', { value: chart, configurable: true });
  chart.on('finished', () => {
    node.dataset.chartState = 'rendered';
  });

  const render = (next: EChartsOption) => {
    node.dataset.chartState = 'rendering';
    chart.setOption(next, { notMerge: true });
  };
  render(option);

  const observer = new ResizeObserver(() => chart.resize());
  observer.observe(node);

  return {
    update: render,
    destroy() {
      observer.disconnect();
      chart.dispose();
      delete (node as { echartsInstance?: ECharts }).echartsInstance;
      delete node.dataset.chartState;
    },
  };
};
