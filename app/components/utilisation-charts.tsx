import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { fitLabel } from "~/lib/format";
import type { MonthPoint } from "~/reporting/report.server";

export interface ChartLabels {
  utilisation: string;
  internal: string;
  external: string;
  effective: string;
  unbooked: string;
  smes: string;
  overTime: string;
  internalExternal: string;
  topInstruments: string;
  idleInstruments: string;
  smesServed: string;
}

export interface InstrumentBar {
  name: string;
  hours: number;
  unbookedHours: number;
}

// Fixed sizes: the server sends boxes of exactly the charts' size (recharts 3 draws only once the
// page is hydrated), so nothing below them moves when they appear (docs/decisions/070-charts.md).
export const CHART_WIDTH = 460;
export const CHART_HEIGHT = 240;
const size = { width: CHART_WIDTH, height: CHART_HEIGHT };

function Chart(props: { caption: string; children: React.ReactNode }) {
  return (
    <figure className="chart">
      <figcaption>{props.caption}</figcaption>
      <div className="chart-box">{props.children}</div>
    </figure>
  );
}

/** The dashboard's charts; every number in them is also in the tables of the page. */
export function UtilisationCharts(props: { series: MonthPoint[]; top: InstrumentBar[]; idle: InstrumentBar[]; labels: ChartLabels }) {
  const { series, top, idle, labels } = props;
  return (
    <div className="chart-grid">
      <Chart caption={labels.overTime}>
        <LineChart {...size} data={series}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis unit="%" />
          <Tooltip />
          <Line type="monotone" dataKey="utilisation" name={labels.utilisation} stroke="#1f5fa8" isAnimationActive={false} />
        </LineChart>
      </Chart>
      <Chart caption={labels.internalExternal}>
        <BarChart {...size} data={series}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis unit="h" />
          <Tooltip />
          <Legend />
          <Bar dataKey="internalHours" stackId="h" name={labels.internal} fill="#7aa6d8" isAnimationActive={false} />
          <Bar dataKey="externalHours" stackId="h" name={labels.external} fill="#c0603a" isAnimationActive={false} />
        </BarChart>
      </Chart>
      <Chart caption={labels.topInstruments}>
        <InstrumentBars data={top} labels={labels} />
      </Chart>
      <Chart caption={labels.idleInstruments}>
        <InstrumentBars data={idle} labels={labels} withUnbooked />
      </Chart>
      <Chart caption={labels.smesServed}>
        <BarChart {...size} data={series}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="smesServed" name={labels.smes} fill="#3c8d5a" isAnimationActive={false} />
        </BarChart>
      </Chart>
    </div>
  );
}

const NAME_WIDTH = 170;
const NAME_FONT_SIZE = 12;

/** An instrument name at the axis, shortened to fit, the whole name on hover. */
function NameTick(props: { x?: number | string; y?: number | string; payload?: { value: string } }) {
  const name = props.payload?.value ?? "";
  return (
    <g transform={`translate(${props.x},${props.y})`}>
      <title>{name}</title>
      <text x={-4} dy={4} textAnchor="end" fontSize={NAME_FONT_SIZE} fill="#475467">
        {fitLabel(name, NAME_WIDTH, NAME_FONT_SIZE)}
      </text>
    </g>
  );
}

function InstrumentBars(props: { data: InstrumentBar[]; labels: ChartLabels; withUnbooked?: boolean }) {
  return (
    <BarChart {...size} data={props.data} layout="vertical" margin={{ left: 8, right: 16 }}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis type="number" unit="h" />
      <YAxis type="category" dataKey="name" width={NAME_WIDTH} tick={<NameTick />} interval={0} />
      <Tooltip />
      {props.withUnbooked ? <Legend /> : null}
      <Bar dataKey="hours" name={props.labels.effective} fill="#1f5fa8" isAnimationActive={false} />
      {props.withUnbooked ? <Bar dataKey="unbookedHours" name={props.labels.unbooked} fill="#d9b24c" isAnimationActive={false} /> : null}
    </BarChart>
  );
}
