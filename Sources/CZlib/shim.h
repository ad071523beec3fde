#ifndef PLANDIR_CZLIB_SHIM_H
#define PLANDIR_CZLIB_SHIM_H

#include <zlib.h>

// The init calls are macros in zlib.h (they pass the library version and struct size), which
// Swift cannot call: these wrappers can.
static inline int plandir_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

static inline int plandir_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

#endif
