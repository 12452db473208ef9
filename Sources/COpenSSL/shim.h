#ifndef PAIL_COPENSSL_SHIM_H
#define PAIL_COPENSSL_SHIM_H
// The few libcrypto digests pail needs, as plain functions Swift can call.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stddef.h>
#include <stdint.h>

static inline void pail_sha256(const void *data, size_t len, uint8_t out[32]) {
    unsigned int n = 32;
    EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

static inline void pail_md5(const void *data, size_t len, uint8_t out[16]) {
    unsigned int n = 16;
    EVP_Digest(data, len, out, &n, EVP_md5(), NULL);
}

static inline void pail_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                                    uint8_t out[32]) {
    unsigned int n = 32;
    HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)data, len, out, &n);
}

// Incremental digests for streamed files. kind: 0 = MD5, 1 = SHA-256, 2 = SHA-1 (only for
// the names of the AWS CLI's SSO token cache files).
static inline EVP_MD_CTX *pail_digest_new(int kind) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx) EVP_DigestInit_ex(ctx, kind == 0 ? EVP_md5() : kind == 2 ? EVP_sha1() : EVP_sha256(), NULL);
    return ctx;
}
static inline void pail_digest_update(EVP_MD_CTX *ctx, const void *data, size_t len) {
    EVP_DigestUpdate(ctx, data, len);
}
static inline int pail_digest_final(EVP_MD_CTX *ctx, uint8_t *out) {
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx, out, &n);
    EVP_MD_CTX_free(ctx);
    return (int)n;
}
#endif
