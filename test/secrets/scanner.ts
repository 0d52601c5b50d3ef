// Finds secret material in synthesized Terraform JSON. The only secrets allowed are those Terraform
// never holds: managed by the service (RDS manage_master_user_password), generated ephemerally, or
// passed through write-only (`*_wo`) arguments from ephemeral values. Everything else is reported:
//   - a password/token/secret-bearing argument with a value (a literal is a secret in the repository;
//     an expression puts the secret into state), in resources, data sources and ephemeral blocks;
//     in provider, variable, backend and locals blocks (not stored in state) only literals;
//   - a write-only argument fed from anything but an ephemeral value or a variable;
//   - resources and data sources whose result is secret and stored in state (random_password, ...);
//   - outputs named like a secret or referencing a secret attribute (not `sensitive` alone: cdktn
//     marks every cross-stack output sensitive, and those carry ids);
//   - credentials embedded in URLs, anywhere.
export interface SecretFinding {
  /** JSON path in the document, e.g. `resource.aws_db_instance.db.password`. */
  readonly path: string;
  readonly message: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const SECRET_KEY_WORDS = [
  'password',
  'passwords',
  'passwd',
  'secret',
  'secrets',
  'secret_string',
  'secret_binary',
  'token',
  'auth_token',
  'private_key',
  'secret_key',
  'access_key',
  'api_key',
  'credential',
  'credentials',
];
const SECRET_KEY = new RegExp(`(^|_)(${SECRET_KEY_WORDS.join('|')})(_|$)`, 'i');
/** Arguments that name or point at a secret rather than hold one, or hold no text at all. */
const REFERENCE_SUFFIX = /_(id|ids|arn|arns|name|names|version|length|type|count|enabled|required|rotation|days)$/i;
const WRITE_ONLY = /_wo$/;
const EPHEMERAL_OR_VARIABLE = /^\$\{.*\b(ephemeral|var)\.[A-Za-z0-9_-]+/s;
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@${}]+:[^\s/@${}]+@/i;

const STATE_SECRETS: Record<string, string> = {
  'resource.random_password': 'random_password keeps its result in state',
  'resource.random_string': 'random_string keeps its result in state',
  'resource.tls_private_key': 'tls_private_key keeps the private key in state',
  'resource.aws_iam_access_key': 'aws_iam_access_key keeps the secret access key in state',
  'resource.aws_iam_user_login_profile': 'aws_iam_user_login_profile keeps the password in state',
  'data.aws_secretsmanager_secret_version': 'reads the secret value into state (use the ephemeral resource)',
  'data.aws_secretsmanager_random_password': 'keeps the password in state (use the ephemeral resource)',
  'data.aws_kms_secrets': 'keeps decrypted secrets in state (use the ephemeral resource)',
};

/** Attributes whose value is a secret when referenced (in outputs). */
const SECRET_ATTRIBUTE_NAMES = [
  'password',
  'passwords',
  'result',
  'secret',
  'secret_string',
  'secret_binary',
  'auth_token',
  'token',
  'private_key_pem',
  'private_key_openssh',
  'random_password',
  'master_password',
  'value',
  'plaintext',
];
const SECRET_ATTRIBUTE = new RegExp(`^(${SECRET_ATTRIBUTE_NAMES.join('|')})$`);

const isObject = (value: unknown): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isExpression = (value: string) => value.includes('${');

function strings(value: Json): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isObject(value)) return Object.values(value).flatMap(strings);
  return [];
}

function secretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !REFERENCE_SUFFIX.test(key);
}

/** Walks arguments (nested blocks included) and reports secret-bearing ones that hold text. */
function scanArguments(value: Json, path: string, inState: boolean, out: SecretFinding[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => scanArguments(item, `${path}[${index}]`, inState, out));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const at = `${path}.${key}`;
    const texts = strings(child).filter((text) => text !== '');
    if (texts.length > 0 && WRITE_ONLY.test(key)) {
      if (!texts.every((text) => EPHEMERAL_OR_VARIABLE.test(text)))
        out.push({ path: at, message: `write-only argument ${key} is fed from a literal or a stored value; pass an ephemeral value` });
    } else if (texts.length > 0 && secretKey(key)) {
      const literal = texts.some((text) => !isExpression(text));
      if (literal) out.push({ path: at, message: `${key} holds a literal secret` });
      else if (inState)
        out.push({
          path: at,
          message: `${key} is set from an expression, so the secret is stored in state; use a write-only argument with an ephemeral value`,
        });
    }
    if (typeof child === 'object' && child !== null) scanArguments(child, at, inState, out);
  }
}

function scanOutputs(outputs: Json, out: SecretFinding[]): void {
  if (!isObject(outputs)) return;
  for (const [name, output] of Object.entries(outputs)) {
    if (!isObject(output)) continue;
    const at = `output.${name}`;
    if (secretKey(name)) out.push({ path: at, message: `output ${name} is named like a secret value` });
    for (const text of strings(output.value ?? null)) {
      if (!isExpression(text)) continue;
      if (/\bephemeral\./.test(text)) out.push({ path: `${at}.value`, message: 'output references an ephemeral value' });
      for (const reference of text.matchAll(/\$\{([^}]*)\}/g)) {
        const attributes = reference[1]
          .replace(/\[[^\]]*\]/g, '')
          .split('.')
          .slice(2);
        const last = attributes[attributes.length - 1] ?? '';
        if (attributes.some((attribute) => SECRET_ATTRIBUTE.test(attribute)) && !REFERENCE_SUFFIX.test(last)) {
          out.push({ path: `${at}.value`, message: `output references the secret attribute ${reference[1]}` });
        }
      }
    }
  }
}

/** Every secret finding in one synthesized document. */
export function scanForSecrets(doc: Record<string, unknown>): SecretFinding[] {
  const out: SecretFinding[] = [];
  for (const section of ['resource', 'data', 'ephemeral'] as const) {
    const byType = doc[section];
    if (!isObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        const path = `${section}.${type}.${name}`;
        const stateSecret = STATE_SECRETS[`${section}.${type}`];
        if (stateSecret) out.push({ path, message: stateSecret });
        if (section === 'data' && type === 'aws_ssm_parameter' && isObject(body) && !String(body.name ?? '').startsWith('/aws/service/')) {
          out.push({
            path,
            message: 'data.aws_ssm_parameter reads a (possibly SecureString) value into state; use the ephemeral resource',
          });
        }
        if (
          section === 'resource' &&
          type === 'aws_ssm_parameter' &&
          isObject(body) &&
          body.type === 'SecureString' &&
          typeof body.value === 'string'
        ) {
          out.push({ path: `${path}.value`, message: 'SecureString value is stored in state; use value_wo with an ephemeral value' });
        }
        // Ephemeral blocks are never stored, but a literal in them still sits in the repository.
        scanArguments(body as Json, path, section !== 'ephemeral', out);
      }
    }
  }
  for (const section of ['provider', 'variable', 'locals', 'terraform'] as const) {
    if (doc[section] !== undefined) scanArguments(doc[section] as Json, section, false, out);
  }
  scanOutputs(doc.output as Json, out);
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' && URL_CREDENTIALS.test(value)) out.push({ path, message: 'a URL embeds credentials' });
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (isObject(value)) for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
  };
  walk(doc, '');
  return out;
}
