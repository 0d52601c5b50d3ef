#!/usr/bin/env bash
# Issues the client certificate Cloudflare presents to the environment's load balancer (per-hostname
# Authenticated Origin Pulls, docs/edge.md) and uploads it with its private key to the environment's zone.
#
#   scripts/origin-pull-certificate.sh <environment> [--days N] [--dry-run]
#
# A new CA is made for every certificate and its key is deleted right after signing, so nothing can ever
# sign a second certificate the load balancer would trust. The client key exists only in a private
# temporary folder until Cloudflare has it, then is deleted: neither key reaches git, Terraform or its
# state. Only the two public certificates are kept, in config/origin-pull/<environment>/.
#
# Needs openssl, node and curl, and CLOUDFLARE_API_TOKEN: a token of your own with Zone Read and
# "SSL and Certificates Write" on the environment's zone (create it for this, delete it after).
# CLOUDFLARE_API_BASE_URL replaces https://api.cloudflare.com/client/v4 (the tests use a local stand-in).
# --dry-run makes and checks the certificates but uploads nothing; its client key is discarded, so the
# certificate is good only for trying the procedure. Rotation: docs/runbooks/origin-pull-certificate-rotation.md.
set -euo pipefail

usage() { echo "usage: $0 <environment> [--days N] [--dry-run]" >&2; exit 2; }
[ $# -ge 1 ] || usage
environment=$1; shift
days=365
upload=true
while [ $# -gt 0 ]; do
  case "$1" in
    --days) [ $# -ge 2 ] || usage; days=$2; shift 2 ;;
    --dry-run) upload=false; shift ;;
    *) usage ;;
  esac
done
[[ "$days" =~ ^[0-9]+$ ]] && [ "$days" -ge 30 ] && [ "$days" -le 825 ] || { echo "--days must be 30-825" >&2; exit 2; }

cd "$(dirname "$0")/.."
env_file="config/environments/${environment}.json"
[ -f "$env_file" ] || { echo "no $env_file" >&2; exit 2; }
zone=$(node -p "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).cloudflareZone" "$env_file")
project=$(node -p "JSON.parse(require('fs').readFileSync('config/project.json', 'utf8')).project")
if $upload && [ -z "${CLOUDFLARE_API_TOKEN:-}" ]; then
  echo "CLOUDFLARE_API_TOKEN is not set (Zone Read and SSL and Certificates Write on ${zone})" >&2
  exit 2
fi

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stamp=$(date -u +%Y%m%d)

cat > "$work/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

# RSA and SHA-256 like Cloudflare's example for per-hostname certificates; the CA outlives the client
# certificate by a day, so the chain never expires before the leaf.
openssl req -x509 -config "$work/openssl.cnf" -extensions ca -newkey rsa:3072 -nodes -sha256 -days $((days + 1)) \
  -subj "/CN=${project}-${environment} origin-pull CA ${stamp}" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -new -config "$work/openssl.cnf" -newkey rsa:3072 -nodes -sha256 \
  -subj "/CN=${zone}" -keyout "$work/client.key" -out "$work/client.csr" 2>/dev/null
openssl x509 -req -in "$work/client.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -sha256 -days "$days" \
  -extfile "$work/openssl.cnf" -extensions client -out "$work/client.pem" 2>/dev/null
rm -f "$work/ca.key"
openssl verify -CAfile "$work/ca.pem" -purpose sslclient "$work/client.pem" >/dev/null

dest="config/origin-pull/${environment}"
mkdir -p "$dest"
umask 022
cp "$work/ca.pem" "$dest/ca-${stamp}.pem"
cp "$work/client.pem" "$dest/client-${stamp}.pem"
umask 077
expires=$(openssl x509 -enddate -noout -in "$work/client.pem" | cut -d= -f2)
certificate_id='<the id of the upload>'

if $upload; then
  api=${CLOUDFLARE_API_BASE_URL:-https://api.cloudflare.com/client/v4}
  # The token goes in a header file, never on a command line other users could list.
  printf 'Authorization: Bearer %s\n' "$CLOUDFLARE_API_TOKEN" > "$work/auth.header"
  curl -fsS -H @"$work/auth.header" "$api/zones?name=${zone}&status=active" > "$work/zones.json"
  zone_id=$(node -e '
    const zones = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).result;
    if (zones.length !== 1) { console.error(`expected one active zone ${process.argv[2]}, found ${zones.length}`); process.exit(1); }
    console.log(zones[0].id);' "$work/zones.json" "$zone")
  node -e '
    const fs = require("fs");
    const body = { certificate: fs.readFileSync(process.argv[1], "utf8"), private_key: fs.readFileSync(process.argv[2], "utf8") };
    fs.writeFileSync(process.argv[3], JSON.stringify(body));' "$work/client.pem" "$work/client.key" "$work/upload.json"
  # https://developers.cloudflare.com/api/resources/origin_tls_client_auth/subresources/hostnames/subresources/certificates/methods/create/
  curl -fsS -X POST -H @"$work/auth.header" -H 'Content-Type: application/json' --data-binary @"$work/upload.json" \
    "$api/zones/${zone_id}/origin_tls_client_auth/hostnames/certificates" > "$work/response.json"
  result() { node -p "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).result.$1" "$work/response.json"; }
  certificate_id=$(result id)
  echo "uploaded to ${zone}: certificate ${certificate_id} ($(result status))"
else
  echo "dry run: nothing uploaded, and the client key is discarded"
fi

cat <<EOF
client certificate valid until ${expires}
public certificates: ${dest}/ca-${stamp}.pem, ${dest}/client-${stamp}.pem

Next, in ${env_file}, edge.originPull:
  "certificateId": "${certificate_id}",
  "certificate": "origin-pull/${environment}/client-${stamp}.pem",
  "trustedCas": [..., "origin-pull/${environment}/ca-${stamp}.pem"]
then open a pull request (docs/runbooks/origin-pull-certificate-rotation.md).
EOF
