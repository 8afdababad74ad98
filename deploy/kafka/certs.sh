#!/usr/bin/env bash
# Make a private CA and a server certificate it signs, with openssl only: what the TLS listeners of
# the local broker (kafka.sh --secure) and schema registry (registry.sh --secure) need. See README.md.
set -euo pipefail

usage() {
  cat <<'EOF_USAGE'
usage: certs.sh DIR [NAME...]

Writes into DIR (created, mode 700), each file once (an existing one is kept):
  ca.pem, ca.key     a private CA (RSA 2048, 10 years): clients verify the server with ca.pem
  SERVER.crt         the server's certificate, signed by the CA; its subject is CN=wirestream-SERVER
  SERVER.key         its private key (PKCS#8, unencrypted, mode 600)
  SERVER.pem         the key and the chain (certificate, then CA) in one file: a PEM keystore, as
                     Kafka reads it (ssl.keystore.type=PEM)

NAMEs are the host names and IP addresses clients reach the server by, each put in the
certificate's subjectAltName (default: localhost 127.0.0.1). The certificate serves TLS servers
and clients (a broker is a client of its own controller listener).

environment:
  CERTS_SERVER  the SERVER part of the file names (default broker)
  CERTS_DAYS    validity of the server certificate in days (default 825)
EOF_USAGE
}

case "${1:-}" in
  ""|-h|--help|help) usage; [ -n "${1:-}" ]; exit ;;
esac
DIR=$1; shift
NAMES=("$@")
[ ${#NAMES[@]} -gt 0 ] || NAMES=(localhost 127.0.0.1)
SERVER=${CERTS_SERVER:-broker}
DAYS=${CERTS_DAYS:-825}

say() { echo "certs.sh: $*" >&2; }
command -v openssl >/dev/null || { say "error: openssl not found"; exit 1; }

umask 077
mkdir -p "$DIR"

if [ ! -f "$DIR/ca.pem" ]; then
  say "making a CA in $DIR/ca.pem"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=wirestream local CA" \
    -keyout "$DIR/ca.key" -out "$DIR/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi

if [ ! -f "$DIR/$SERVER.pem" ]; then
  san=""
  for name in "${NAMES[@]}"; do
    if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san+="IP:$name,"; else san+="DNS:$name,"; fi
  done
  say "making the $SERVER certificate for ${NAMES[*]} in $DIR/$SERVER.crt"
  ext=$(mktemp "$DIR/ext.XXXXXX")
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=${san%,}" > "$ext"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=wirestream-$SERVER" -keyout "$DIR/$SERVER.rsa" \
    -out "$DIR/$SERVER.csr" 2>/dev/null
  openssl x509 -req -sha256 -days "$DAYS" -in "$DIR/$SERVER.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
    -CAcreateserial -extfile "$ext" -out "$DIR/$SERVER.crt" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$DIR/$SERVER.rsa" > "$DIR/$SERVER.key"
  cat "$DIR/$SERVER.key" "$DIR/$SERVER.crt" "$DIR/ca.pem" > "$DIR/$SERVER.pem"
  rm -f "$ext" "$DIR/$SERVER.rsa" "$DIR/$SERVER.csr" "$DIR/ca.srl"
fi
chmod 644 "$DIR/ca.pem" "$DIR/$SERVER.crt"   # public; the keys stay the owner's
openssl verify -CAfile "$DIR/ca.pem" "$DIR/$SERVER.crt" >/dev/null \
  || { say "error: the $SERVER certificate does not verify with $DIR/ca.pem"; exit 1; }
echo "$DIR"
