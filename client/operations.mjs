// The GraphQL operations the typed client (client/index.mjs) sends. graphql-codegen reads them
// (codegen.ts) and generates their result and variable types into graphql/generated/client, which
// client/index.d.mts uses: the SDK's types are the schema's, not a hand-written copy.

export const SecretFields = /* GraphQL */ `
  fragment SdkSecretFields on Secret {
    id
    name
    description
    type
    metadata
    storage
    referencePath
    hint
    version
    createdAt
    updatedAt
  }
`;

export const SdkProjects = /* GraphQL */ `
  query SdkProjects {
    projects {
      slug
      name
      personal
    }
  }
`;

export const SdkListSecrets = /* GraphQL */ `
  query SdkListSecrets($slug: String!, $first: Int, $after: String, $search: String) {
    project(slug: $slug) {
      secrets(first: $first, after: $after, search: $search) {
        edges {
          node {
            ...SdkSecretFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export const SdkGetSecret = /* GraphQL */ `
  query SdkGetSecret($slug: String!, $name: String!) {
    project(slug: $slug) {
      secret(name: $name) {
        ...SdkSecretFields
      }
    }
  }
`;

export const SdkCreateSecret = /* GraphQL */ `
  mutation SdkCreateSecret($input: CreateSecretInput!) {
    createSecret(input: $input) {
      ...SdkSecretFields
    }
  }
`;

export const SdkUpdateSecret = /* GraphQL */ `
  mutation SdkUpdateSecret($input: UpdateSecretInput!) {
    updateSecret(input: $input) {
      ...SdkSecretFields
    }
  }
`;

export const SdkDeleteSecret = /* GraphQL */ `
  mutation SdkDeleteSecret($input: DeleteSecretInput!) {
    deleteSecret(input: $input) {
      id
      name
    }
  }
`;

export const SdkCloneSecret = /* GraphQL */ `
  mutation SdkCloneSecret($input: CloneSecretInput!) {
    cloneSecret(input: $input) {
      ...SdkSecretFields
    }
  }
`;

export const SdkSecretPresets = /* GraphQL */ `
  query SdkSecretPresets {
    secretPresets {
      id
      provider
      name
      type
      description
      format
    }
  }
`;

export const SdkCreateConsumer = /* GraphQL */ `
  mutation SdkCreateConsumer($input: CreateConsumerInput!) {
    createConsumer(input: $input) {
      id
      name
      kind
    }
  }
`;

export const SdkAttachSecret = /* GraphQL */ `
  mutation SdkAttachSecret($input: AttachSecretInput!) {
    attachSecret(input: $input) {
      id
      name
      kind
    }
  }
`;

export const SdkResolveEnvironment = /* GraphQL */ `
  mutation SdkResolveEnvironment($consumer: String!) {
    resolveEnvironment(consumer: $consumer) {
      variables {
        name
        value
      }
      conflicts {
        variable
        sources
      }
    }
  }
`;

export const SdkResolveSecrets = /* GraphQL */ `
  mutation SdkResolveSecrets($ids: [ID!], $names: [String!], $consumers: [String!]) {
    resolveSecrets(ids: $ids, names: $names, consumers: $consumers) {
      variables {
        name
        value
      }
      conflicts {
        variable
        sources
      }
    }
  }
`;
