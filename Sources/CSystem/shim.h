#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H
// epoll and eventfd are not part of Swift's Glibc module. <sys/socket.h> is deliberately not included here: doing so
// hides constants such as MSG_NOSIGNAL from the Glibc module in files that import both.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
