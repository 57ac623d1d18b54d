// Variables a consumer may never set: names and prefixes that change how programs load code, where
// they connect, or what they trust. A CI job running `vault run` would otherwise execute what an
// editor wrote (NODE_OPTIONS=--require …, LD_PRELOAD, BASH_ENV, PATH, a proxy that sees every
// request, a git helper) and that code could read VAULT_TOKEN from its parent. Plain JavaScript so
// that the server (lib/consumers) and the client CLI (bin/vault-client.mjs) check the same list.
// Matching ignores case.

export const DENIED_NAMES = [
  "PATH", "HOME", "SHELL", "ENV", "BASH_ENV", "BASHOPTS", "SHELLOPTS", "IFS", "PS4", "PROMPT_COMMAND", "CDPATH",
  "GLOBIGNORE", "ZDOTDIR", "TMPDIR", "EDITOR", "VISUAL", "PAGER", "BROWSER", "SSH_ASKPASS", "SSH_AUTH_SOCK",
  "HOSTALIASES", "RES_OPTIONS", "LOCALDOMAIN", "NLSPATH", "LOCPATH", "TZDIR", "TERMINFO", "CLASSPATH",
  "PHPRC", "PHP_INI_SCAN_DIR", "LUA_PATH", "LUA_CPATH", "SSLKEYLOGFILE", "WGETRC", "GOFLAGS", "GOPROXY",
  "GONOSUMDB", "GONOSUMCHECK", "GOPRIVATE", "GOINSECURE", "GOTOOLCHAIN",
];

export const DENIED_PREFIXES = [
  "LD_", "DYLD_", "NODE_", "NPM_CONFIG_", "YARN_", "COREPACK_", "BUN_", "DENO_", "GIT_", "BASH_FUNC_", "PYTHON",
  "PIP_", "UV_", "PERL", "RUBY", "GEM_", "BUNDLE_", "JAVA_", "_JAVA_", "JDK_", "MAVEN_", "GRADLE_", "DOTNET_",
  "COMPLUS_", "CARGO_", "RUSTC_", "RUSTUP_", "GCONV_", "OPENSSL_", "SSL_CERT_", "CURL_", "REQUESTS_CA_", "XDG_",
  "DOCKER_", "KUBECONFIG", "VAULT_",
];

// HTTP_PROXY, https_proxy, ALL_PROXY, NO_PROXY, …
export const DENIED_SUFFIXES = ["_PROXY"];

// Why a consumer may not set `name`, or null when it may.
export function deniedVariableReason(name) {
  const upper = String(name).toUpperCase();
  const denied =
    DENIED_NAMES.includes(upper) || DENIED_PREFIXES.some((p) => upper.startsWith(p)) || DENIED_SUFFIXES.some((s) => upper.endsWith(s));
  return denied ? `${name} cannot be set by a consumer: it changes how programs load code, connect or what they trust` : null;
}
