"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";

interface Props {
  current: { slug: string; name: string };
  projects: { slug: string; name: string }[];
  admin: boolean;
}

export function ProjectNav({ current, projects, admin }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const base = `/projects/${current.slug}`;
  const tabs = [
    { href: base, label: "Secrets" },
    { href: `${base}/consumers`, label: "Consumers" },
    { href: `${base}/unused`, label: "Unused" },
    ...(admin
      ? [
          { href: `${base}/members`, label: "Members" },
          { href: `${base}/tokens`, label: "API tokens" },
          { href: `${base}/audit`, label: "Audit log" },
        ]
      : []),
  ];
  return (
    <div className="project-nav">
      <div className="switcher">
        <label htmlFor="project-switcher">Project</label>
        <select id="project-switcher" value={current.slug} onChange={(e) => router.push(`/projects/${e.target.value}`)}>
          {projects.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name} ({p.slug})
            </option>
          ))}
        </select>
      </div>
      <nav aria-label="Project sections" className="tabs">
        {tabs.map((t) => (
          <Link key={t.href} href={t.href} aria-current={pathname === t.href ? "page" : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
