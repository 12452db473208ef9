#include "CBuildInfo.h"

__attribute__((weak)) const char *pail_build_commit(void) { return ""; }
