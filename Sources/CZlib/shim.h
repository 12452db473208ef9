#ifndef PAIL_CZLIB_SHIM_H
#define PAIL_CZLIB_SHIM_H
// zlib's init calls are macros (they pass the library version and the stream's size), which
// Swift cannot call: these wrap them as functions.
#include <zlib.h>

/// gzip framing (windowBits 15 + 16), with no file name or time stamp in the header, so the
/// same input always gives the same bytes.
static inline int pail_deflate_init_gzip(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/// zlib or gzip framing, detected from the header (windowBits 15 + 32).
static inline int pail_inflate_init_auto(z_stream *s) {
    return inflateInit2(s, 15 + 32);
}

#endif
