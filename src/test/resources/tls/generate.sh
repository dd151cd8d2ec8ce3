#!/bin/sh
# Regenerates the private-key fixtures of TlsContexts' tests (run from this directory; needs OpenSSL 3).
# Only keys live here: the tests issue fresh certificates for them at run time, so nothing expires.
set -eu
PASS=hubgate-test

# RSA: PKCS#1 ("BEGIN RSA PRIVATE KEY"), the same key as PKCS#8 and its public key.
openssl genrsa -traditional -out rsa-pkcs1.pem 2048
openssl pkcs8 -topk8 -nocrypt -in rsa-pkcs1.pem -out rsa-pkcs8.pem
openssl pkey -in rsa-pkcs1.pem -pubout -out rsa-public.pem
# The same key, encrypted: OpenSSL's legacy PEM encryption (Proc-Type/DEK-Info) and PKCS#8 PBES2.
for c in aes128 aes192 aes256 des3; do
  openssl rsa -in rsa-pkcs1.pem -traditional -$c -passout pass:$PASS -out rsa-legacy-$c.pem
done
openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in rsa-pkcs1.pem -passout pass:$PASS -out rsa-pkcs8-encrypted.pem
openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in rsa-pkcs1.pem -passout pass:$PASS -out rsa-pkcs8-pbes1.pem

# EC P-256: SEC1 ("BEGIN EC PRIVATE KEY", preceded by an "EC PARAMETERS" block as ecparam writes it).
openssl ecparam -name prime256v1 -genkey -out ec-sec1.pem
openssl pkcs8 -topk8 -nocrypt -in ec-sec1.pem -out ec-pkcs8.pem
openssl pkey -in ec-sec1.pem -pubout -out ec-public.pem
openssl ec -in ec-sec1.pem -aes128 -passout pass:$PASS -out ec-legacy-aes128.pem
openssl pkcs8 -topk8 -v2 aes-128-cbc -v2prf hmacWithSHA1 -in ec-sec1.pem -passout pass:$PASS -out ec-pkcs8-encrypted.pem

# EC P-384, SEC1 without the separate parameters block.
openssl ecparam -name secp384r1 -genkey -noout -out ec384-sec1.pem
openssl pkey -in ec384-sec1.pem -pubout -out ec384-public.pem

# DH parameters for --ssl-dhparam (accepted, unused).
openssl dhparam -out dhparam.pem 1024 2>/dev/null
