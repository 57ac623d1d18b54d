// CLI commands that go through the services, as the local operator.
import { createUser } from "../lib/users/create-user";

type Values = Record<string, string | boolean | string[] | undefined>;
const str = (v: Values[string]) => (typeof v === "string" ? v : undefined);

export async function runAdminCommand(key: string, values: Values, out: (line: string) => void) {
  switch (key) {
    case "user create": {
      const user = await createUser({
        email: str(values.email) ?? "",
        password: str(values.password) ?? "",
        name: str(values.name),
        admin: values.admin === true,
      });
      out(`created user ${user.email}${user.isAdmin ? " (admin)" : ""}; personal project: ${user.personalProjectSlug}`);
      return;
    }
    default:
      throw Object.assign(new Error(`unknown command "${key}" (npm run vault -- --help)`), { code: "BAD_USER_INPUT" });
  }
}
