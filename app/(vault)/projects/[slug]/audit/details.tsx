import { detailPairs } from "./describe";

export function AuditDetails({ details }: { details: Record<string, unknown> }) {
  const pairs = detailPairs(details);
  if (pairs.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="kv">
      {pairs.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
