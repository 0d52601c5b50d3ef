import { z } from 'zod';

/**
 * Service-linked roles the bootstrap layer creates because later layers need them to exist first:
 * OpenSearch needs its role to place a domain in a VPC. One per account, with the role name AWS gives it
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html). The apply role may
 * create the others (EKS, RDS, ElastiCache) on first use.
 */
export const ACCOUNT_SERVICE_LINKED_ROLES = {
  'opensearchservice.amazonaws.com': 'AWSServiceRoleForAmazonOpenSearchService',
} as const;
export type AccountServiceLinkedRole = keyof typeof ACCOUNT_SERVICE_LINKED_ROLES;
const SERVICES = Object.keys(ACCOUNT_SERVICE_LINKED_ROLES) as [AccountServiceLinkedRole, ...AccountServiceLinkedRole[]];

/**
 * `bootstrap` of an environment file: account-wide objects the bootstrap layer manages that often
 * exist already (another project created the account's GitHub OIDC provider; an OpenSearch domain was
 * once created there). Each one named here is adopted with a Terraform `import` block instead of being
 * created, which would fail with EntityAlreadyExists. The blocks stay harmless after the import.
 */
export const bootstrapConfig = z
  .object({
    importExisting: z
      .object({
        githubOidcProvider: z
          .boolean()
          .default(false)
          .describe("The account's `token.actions.githubusercontent.com` OIDC provider exists already; import it."),
        serviceLinkedRoles: z
          .array(z.enum(SERVICES, { message: `must be a service-linked role the bootstrap layer manages: one of ${SERVICES.join(', ')}` }))
          .default([])
          .refine((services) => new Set(services).size === services.length, 'must name each service once')
          .describe('Service-linked roles (by service principal) that exist already in the account; import them.'),
      })
      .strict()
      .default({ githubOidcProvider: false, serviceLinkedRoles: [] })
      .describe('Objects to adopt with `import` blocks instead of creating them (creating would fail with EntityAlreadyExists).'),
  })
  .strict()
  .default({ importExisting: { githubOidcProvider: false, serviceLinkedRoles: [] } });
