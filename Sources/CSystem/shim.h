#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H
// epoll and eventfd are not part of Swift's Glibc module. <sys/socket.h> is deliberately not included here: doing so
// hides constants such as MSG_NOSIGNAL from the Glibc module in files that import both.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
// malloc_trim and mallopt, for the process's memory between pipeline runs (not in Swift's Glibc module either).
#include <malloc.h>

// prctl is variadic, so Swift cannot call it: names the calling thread (at most 15 bytes), as `top -H` shows it.
static inline int csystem_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}
#endif
