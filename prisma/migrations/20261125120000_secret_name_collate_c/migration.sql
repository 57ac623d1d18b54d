-- Secret names ([A-Z_][A-Z0-9_]*) compare byte by byte, whatever the cluster's collation. Under
-- "C" the (projectId, name) index serves a name-prefix search (LIKE with a prefix becomes the range
-- name >= prefix AND name < prefix with its last byte incremented) and keyset pages follow one
-- order on every cluster. Under a linguistic collation (en_US.UTF-8) neither holds: underscores are
-- ignored and a prefix is not a range. Prisma's schema cannot say a column's collation and its diff
-- does not compare them, so this lives here only (lib/db/migrate.test.ts checks it is in place).
ALTER TABLE "Secret" ALTER COLUMN "name" SET DATA TYPE TEXT COLLATE "C";
