import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { MonthPoint } from "~/reporting/report.server";

export interface ChartLabels {
  utilisation: string;
  internal: string;
  external: string;
  effective: string;
  smes: string;
  overTime: string;
  internalExternal: string;
  topInstruments: string;
  smesServed: string;
}

const W = 460;
const H = 240;

/** The dashboard's four charts; the numbers are also in the tables below them. */
export function UtilisationCharts(props: { series: MonthPoint[]; top: { name: string; hours: number }[]; labels: ChartLabels }) {
  const { series, top, labels } = props;
  return (
    <div className="chart-grid">
      <figure>
        <figcaption>{labels.overTime}</figcaption>
        <LineChart width={W} height={H} data={series}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis unit="%" />
          <Tooltip />
          <Line type="monotone" dataKey="utilisation" name={labels.utilisation} stroke="#1f5fa8" isAnimationActive={false} />
        </LineChart>
      </figure>
      <figure>
        <figcaption>{labels.internalExternal}</figcaption>
        <BarChart width={W} height={H} data={series}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis unit="h" />
          <Tooltip />
          <Legend />
          <Bar dataKey="internalHours" stackId="h" name={labels.internal} fill="#7aa6d8" isAnimationActive={false} />
          <Bar dataKey="externalHours" stackId="h" name={labels.external} fill="#c0603a" isAnimationActive={false} />
        </BarChart>
      </figure>
      <figure>
        <figcaption>{labels.topInstruments}</figcaption>
        <BarChart width={W} height={H} data={top} layout="vertical" margin={{ left: 80 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" unit="h" />
          <YAxis type="category" dataKey="name" width={120} />
          <Tooltip />
          <Bar dataKey="hours" name={labels.effective} fill="#1f5fa8" isAnimationActive={false} />
        </BarChart>
      </figure>
      <figure>
        <figcaption>{labels.smesServed}</figcaption>
        <BarChart width={W} height={H} data={series}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="smesServed" name={labels.smes} fill="#3c8d5a" isAnimationActive={false} />
        </BarChart>
      </figure>
    </div>
  );
}
