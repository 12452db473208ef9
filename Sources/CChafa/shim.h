#ifndef PAIL_CCHAFA_SHIM_H
#define PAIL_CCHAFA_SHIM_H
// libchafa renders pixels as terminal output: kitty, sixel and iTerm2 images, or Unicode
// symbols in 256 or 16 colours (Debian's libchafa-dev). Its API is plain C functions.
#include <chafa.h>

#endif
