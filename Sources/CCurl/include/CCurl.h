#ifndef PAIL_CCURL_H
#define PAIL_CCURL_H
// libcurl for Swift: Swift cannot call the variadic curl_easy_setopt/getinfo,
// so each argument type gets one small typed wrapper.
#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

typedef size_t (*pail_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*pail_curl_xferinfo_cb)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                     curl_off_t ultotal, curl_off_t ulnow);
typedef int (*pail_curl_seek_cb)(void *userdata, curl_off_t offset, int origin);

CURLcode pail_curl_setopt_long(CURL *h, CURLoption opt, long value);
CURLcode pail_curl_setopt_off(CURL *h, CURLoption opt, curl_off_t value);
CURLcode pail_curl_setopt_string(CURL *h, CURLoption opt, const char *value);
CURLcode pail_curl_setopt_pointer(CURL *h, CURLoption opt, void *value);
CURLcode pail_curl_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *value);
CURLcode pail_curl_setopt_data_cb(CURL *h, CURLoption opt, pail_curl_data_cb cb);
CURLcode pail_curl_setopt_xferinfo_cb(CURL *h, pail_curl_xferinfo_cb cb);
CURLcode pail_curl_setopt_seek_cb(CURL *h, pail_curl_seek_cb cb);

CURLcode pail_curl_getinfo_long(CURL *h, CURLINFO info, long *out);
CURLcode pail_curl_getinfo_off(CURL *h, CURLINFO info, curl_off_t *out);

#endif
