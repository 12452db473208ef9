#ifndef PAIL_BUILD_INFO_H
#define PAIL_BUILD_INFO_H

/// The git commit a release binary was built from, or "" for a development build.
/// `make release` links a strong definition generated from `git rev-parse` over the weak
/// one in build_info.c, so the commit reaches the binary without recompiling anything.
const char *pail_build_commit(void);

#endif
