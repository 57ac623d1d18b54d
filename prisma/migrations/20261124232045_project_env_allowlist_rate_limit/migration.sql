-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "envAllowlist" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "blockedUntil" TIMESTAMP(3),

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- ENV secrets show no edges of the server variable they point at.
UPDATE "Secret" SET "hint" = '••••••••' WHERE "storage" = 'ENV';
