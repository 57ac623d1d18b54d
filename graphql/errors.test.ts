import { describe, expect, it } from "vitest";
import { scrubMessage } from "./errors";

describe("scrubbing graphql-js messages", () => {
  it("keeps schema names and variables, drops echoed values", () => {
    const cases: [string, string][] = [
      ['Variable "$input" got invalid value "sk_live_x"; Value "sk_live_x" does not exist in "Storage" enum.', 'Variable "$input" got an invalid value; Value "…" does not exist in "Storage" enum.'],
      ['Variable "$n" got invalid value "abc"; Int cannot represent non-integer value: "abc"', 'Variable "$n" got an invalid value; Int cannot represent non-integer value'],
      ['Expected value of type "Int", found "hunter2".', 'Expected value of type "Int", found "…".'],
      ['String cannot represent a non string value: 12345', "String cannot represent a non string value"],
      ['Unknown argument "x" on field "Query.viewer".', 'Unknown argument "…" on field "…".'],
      ['Cannot query field "value" on type "Secret".', 'Cannot query field "value" on type "Secret".'],
      ['Field "name" of required type "[String!]!" was not provided.', 'Field "name" of required type "[String!]!" was not provided.'],
      ['Cannot query field "valu" on type "Secret". Did you mean "value"?', 'Cannot query field "…" on type "Secret".'],
      ['Variable "$i" got invalid value "SMS" at "i.storage"; Value "SMS" does not exist in "Storage" enum. Did you mean the enum value "SSM"?', 'Variable "$i" got an invalid value; Value "…" does not exist in "Storage" enum.'],
    ];
    for (const [input, output] of cases) expect(scrubMessage(input)).toBe(output);
  });
});
