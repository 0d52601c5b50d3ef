// The provider block of hashicorp/kubernetes 2.38.0, written by hand: the full schema in ../shared lists
// resources and data sources only. It has every argument of the provider's documented Argument Reference
// (https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs#argument-reference), with the
// types, required flags and `exec` nesting (a list block, at most one) of the schema the provider serves
// (manifest/provider/provider_config.go at v2.38.0, which the SDK half of the muxed provider mirrors):
//   API endpoint and TLS: host, insecure, tls_server_name, cluster_ca_certificate, proxy_url
//   credentials:          token, username, password, client_certificate, client_key,
//                         exec { api_version, command, args, env }
//   kubeconfig files:     config_path, config_paths, config_context, config_context_auth_info, config_context_cluster
//   provider behaviour:   ignore_annotations, ignore_labels
// Left out on purpose: the `experiments { manifest_resource }` block, which that schema still has but marks
// deprecated ("permanently enabled ... This flag has no effect"), and the docs no longer list; leaving it
// out keeps it out of the bindings and makes the schema check reject it.
import type { SchemaAttribute, SchemaEntry } from '../src/checks/schema/provider-schema';

const optionalString: SchemaAttribute = { type: 'string', optional: true };
const optionalStringList: SchemaAttribute = { type: ['list', 'string'], optional: true };

export const KUBERNETES_PROVIDER_BLOCK: SchemaEntry = {
  version: 0,
  block: {
    attributes: {
      host: optionalString,
      username: optionalString,
      password: optionalString,
      insecure: { type: 'bool', optional: true },
      tls_server_name: optionalString,
      client_certificate: optionalString,
      client_key: optionalString,
      cluster_ca_certificate: optionalString,
      config_paths: optionalStringList,
      config_path: optionalString,
      config_context: optionalString,
      config_context_auth_info: optionalString,
      config_context_cluster: optionalString,
      token: optionalString,
      proxy_url: optionalString,
      ignore_annotations: optionalStringList,
      ignore_labels: optionalStringList,
    },
    block_types: {
      exec: {
        nesting_mode: 'list',
        max_items: 1,
        block: {
          attributes: {
            api_version: { type: 'string', required: true },
            command: { type: 'string', required: true },
            env: { type: ['map', 'string'], optional: true },
            args: optionalStringList,
          },
        },
      },
    },
  },
};
