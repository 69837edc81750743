/*
 * vgmain.so: LD_PRELOAD shim used ONLY to run vigor under valgrind (bench/profile.sh).
 *
 * valgrind 3.19 dies ("Valgrind received a signal 11") in every Swift program with an async
 * main: Swift's async main ends in libdispatch's dispatch_main(), which pthread_exit()s the
 * main thread and parks it in sigsuspend from a TSD destructor. This dispatch_main() instead
 * keeps the main thread and drains the main queue itself, the way CoreFoundation's run loop
 * does (wait on the main queue's eventfd, then run its callback). Only the main actor's work
 * (start-up, shutdown) runs here; requests are served on NIO's event loop and the Swift
 * concurrency pool as usual.
 */
#include <poll.h>
#include <stdint.h>

extern int _dispatch_get_main_queue_handle_4CF(void);
extern void _dispatch_main_queue_callback_4CF(void *msg);

void dispatch_main(void) {
    int fd = _dispatch_get_main_queue_handle_4CF();
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        poll(&p, 1, 100);
        _dispatch_main_queue_callback_4CF(0);
    }
}
