/* One psramctl at a time on an OpenOCD given with --connect: two of them
 * would load their stubs into the same core and halt each other's runs.
 * The lock is an abstract Unix socket named after HOST:PORT (unix(7),
 * "Abstract sockets"): the kernel drops it when its holder exits, however
 * it exits, and it leaves no file behind. The one who finds it taken
 * learns the holder's pid from the socket (SO_PEERCRED) and says so. */
#ifndef CLI_TARGET_LOCK_H
#define CLI_TARGET_LOCK_H

/* Takes the lock for host:port: its descriptor (>= 0), or a negative code
 * printed ("OpenOCD at H:P is in use by another psramctl (pid N)"). */
int target_lock_take(const char *host, unsigned port);
void target_lock_release(int fd);

#endif
