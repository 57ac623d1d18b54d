import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { createSecret } from "../secrets/create-secret";
import { updateSecret } from "../secrets/update-secret";
import { newTeam } from "../../test/fixtures";
import { refusal } from "../../test/refusal";
import { listAuditEvents } from "./list-audit-events";

let team: Awaited<ReturnType<typeof newTeam>>;

beforeAll(async () => {
  team = await newTeam();
  const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "FILTERED", value: "value-0123456789" });
  await updateSecret(team.editor.actor, { id: s.id, description: "changed" });
  // One event moved back in time, to filter by day.
  const old = await db().auditEvent.findFirstOrThrow({ where: { projectId: team.project.id, action: "secret.create" } });
  await db().auditEvent.update({ where: { id: old.id }, data: { createdAt: new Date("2024-03-10T23:59:00Z") } });
});

const actions = async (filters: { action?: string; from?: string; to?: string }) =>
  (await listAuditEvents(team.admin.actor, { projectId: team.project.id, ...filters })).nodes.map((n) => n.action);

describe("audit filters", () => {
  it("by action", async () => {
    expect(await actions({ action: "secret.update" })).toEqual(["secret.update"]);
    expect(await actions({ action: "token.revoke" })).toEqual([]);
  });
  it("by inclusive UTC days", async () => {
    expect(await actions({ from: "2024-03-10", to: "2024-03-10" })).toEqual(["secret.create"]);
    expect(await actions({ to: "2024-03-09" })).toEqual([]);
    expect(await actions({ from: "2024-03-11" })).toContain("secret.update");
    expect(await actions({ from: "2024-03-11" })).not.toContain("secret.create");
  });
  it("refuses malformed filters without echoing them", async () => {
    const r = await refusal(listAuditEvents(team.admin.actor, { projectId: team.project.id, from: "10/03/2024" }));
    expect(r).toMatchObject({ code: "BAD_USER_INPUT", message: "Dates are YYYY-MM-DD" });
    expect((await refusal(listAuditEvents(team.admin.actor, { projectId: team.project.id, action: "DROP TABLE" }))).message).toBe("Unknown action");
    expect((await refusal(listAuditEvents(team.editor.actor, { projectId: team.project.id }))).code).toBe("FORBIDDEN");
  });
});
