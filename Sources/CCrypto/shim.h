#ifndef LONGHAUL_CCRYPTO_SHIM_H
#define LONGHAUL_CCRYPTO_SHIM_H
// OpenSSL's libcrypto, for SHA-256 only (Hashing): its digests use the CPU's SHA instructions
// where there are any. libcurl already loads it (it is libcurl's TLS), so it adds nothing.
#include <openssl/evp.h>
#endif
