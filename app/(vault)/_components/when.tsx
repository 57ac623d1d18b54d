// A time as people read it ("3 min ago"), with the exact UTC time on hover and focus (title) and
// for machines (dateTime). Pure: usable from server and client components.
export function relative(date: Date, now = Date.now()) {
  const s = Math.round((now - date.getTime()) / 1000);
  const future = s < 0;
  const a = Math.abs(s);
  const [n, unit] =
    a < 45 ? [0, "now"] : a < 3600 ? [Math.round(a / 60), "min"] : a < 86_400 ? [Math.round(a / 3600), "h"] : a < 30 * 86_400 ? [Math.round(a / 86_400), "day"] : [0, "date"];
  if (unit === "now") return "just now";
  if (unit === "date") return date.toISOString().slice(0, 10);
  const label = unit === "day" ? `${n} day${n === 1 ? "" : "s"}` : `${n} ${unit}`;
  return future ? `in ${label}` : `${label} ago`;
}

export const exact = (date: Date) => date.toISOString().replace("T", " ").slice(0, 19) + " UTC";

export function When({ at, never = "never" }: { at: Date | string | null; never?: string }) {
  if (!at) return <span className="muted">{never}</span>;
  const date = typeof at === "string" ? new Date(at) : at;
  return (
    <time dateTime={date.toISOString()} title={exact(date)} tabIndex={0} suppressHydrationWarning>
      {relative(date)}
    </time>
  );
}
