import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartRow {
  name: string;
  [series: string]: number | string;
}

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

/**
 * A bar chart of a few series per group. The initial size lets the server render the SVG, so
 * the chart is there before the page hydrates; the browser then fits it to its column.
 */
export function StatsBarChart({ title, rows, series, layout = "horizontal" }: { title: string; rows: ChartRow[]; series: ChartSeries[]; layout?: "horizontal" | "vertical" }) {
  const height = layout === "vertical" ? Math.max(220, rows.length * 34 + 60) : 280;
  return (
    <figure className="stats-chart">
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        <BarChart data={rows} layout={layout} margin={{ top: 8, right: 16, bottom: 8, left: layout === "vertical" ? 24 : 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          {layout === "vertical" ? (
            <>
              <XAxis type="number" />
              <YAxis type="category" dataKey="name" width={120} />
            </>
          ) : (
            <>
              <XAxis dataKey="name" />
              <YAxis />
            </>
          )}
          <Tooltip />
          <Legend />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
