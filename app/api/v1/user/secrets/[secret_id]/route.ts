import { deleteUserSecret, getUserSecret, updateUserSecret } from "@/rest/secrets";

export const dynamic = "force-dynamic";
export const GET = getUserSecret;
export const PUT = updateUserSecret;
export const DELETE = deleteUserSecret;
