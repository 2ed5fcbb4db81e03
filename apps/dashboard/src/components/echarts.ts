// Only the pieces of ECharts the dashboard draws with, imported by name so that the bundler keeps
// nothing else (a namespace re-export would pull in all of echarts/core).
import { init, use, type ECharts } from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export const echarts = { init };
export type { ECharts };
