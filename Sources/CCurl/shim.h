#ifndef LONGHAUL_CCURL_SHIM_H
#define LONGHAUL_CCURL_SHIM_H
#include <curl/curl.h>

// Swift cannot call C variadic functions, and curl_easy_setopt / curl_easy_getinfo /
// curl_multi_setopt are variadic. These typed wrappers give each argument kind one
// non-variadic entry point, so the compiler checks what Swift passes.

/// Sets an option whose argument is a long (flags, timeouts, sizes).
static inline CURLcode longhaul_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
/// Sets an option whose argument is a 64-bit size (CURLOPT_*_LARGE).
static inline CURLcode longhaul_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
/// Sets an option whose argument is a C string; libcurl copies strings (except POSTFIELDS).
static inline CURLcode longhaul_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
/// Sets an option whose argument is an opaque pointer (WRITEDATA, PRIVATE, ERRORBUFFER).
static inline CURLcode longhaul_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
/// Sets a header list or resolve list; the list must outlive the transfer.
static inline CURLcode longhaul_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
/// Sets a write or header callback (same C signature as fwrite).
typedef size_t (*longhaul_write_callback)(char *data, size_t size, size_t count, void *userdata);
static inline CURLcode longhaul_easy_setopt_write_callback(CURL *handle, CURLoption option, longhaul_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}
/// Reads a long result (response code, HTTP version, OS errno).
static inline CURLcode longhaul_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
/// Reads a pointer result (CURLINFO_PRIVATE).
static inline CURLcode longhaul_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}
/// Reads a double result (timings).
static inline CURLcode longhaul_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
/// Sets a long option on a multi handle (connection limits, multiplexing).
static inline CURLMcode longhaul_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}
/// Resumes a transfer the write callback paused: CURLPAUSE_CONT is a compound macro that Swift
/// does not import.
static inline CURLcode longhaul_easy_unpause(CURL *handle) {
    return curl_easy_pause(handle, CURLPAUSE_CONT);
}
/// What a write callback returns to pause the transfer (CURL_WRITEFUNC_PAUSE, a macro Swift
/// imports with the wrong integer type).
static inline size_t longhaul_writefunc_pause(void) {
    return CURL_WRITEFUNC_PAUSE;
}
#endif
