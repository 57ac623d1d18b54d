import "server-only";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { projectAccess } from "../projects/access";
import { consumerSelect, consumerWithAccess, toConsumerDto } from "./consumer-dto";

// By name; `page` (GraphQL) takes at most `first` after the consumer named `after`, none takes all.
export async function listConsumers(actor: Actor | null, projectId: string, page?: { first: number; after?: string | null }) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  const rows = await db().consumer.findMany({
    where: { projectId: access.project.id, ...(page?.after ? { name: { gt: page.after } } : {}) },
    select: consumerSelect,
    orderBy: { name: "asc" },
    take: page ? Math.max(1, Math.min(page.first, 200)) : undefined,
  });
  return rows.map(toConsumerDto);
}

export async function getConsumerByName(actor: Actor | null, projectId: string, name: string) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  const row = await db().consumer.findUnique({ where: { projectId_name: { projectId: access.project.id, name } }, select: consumerSelect });
  return row ? toConsumerDto(row) : null;
}

// One consumer by id, for its page; another project's consumer is NOT_FOUND.
export async function getConsumer(actor: Actor | null, id: string) {
  const { consumer, access } = await consumerWithAccess(actor, id);
  assertCan(access, "secrets:read");
  return toConsumerDto(consumer);
}
