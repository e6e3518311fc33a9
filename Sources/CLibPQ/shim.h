#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
// libpq's header lives in /usr/include/postgresql; the target finds it through pkg-config.
#include <libpq-fe.h>
#endif
