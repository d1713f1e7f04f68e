/* struct ucred and SO_PEERCRED (socket(7)) are GNU extensions. */
#define _GNU_SOURCE
#include "link/target_lock.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/error.h"
#include "report/output.h"

static socklen_t lock_address(struct sockaddr_un *a, const char *host,
			      unsigned port)
{
	int n;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	/* sun_path[0] == 0: the abstract namespace. */
	n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1,
		     "psramctl-target:%s:%u", host, port);
	if (n < 0 || (size_t)n >= sizeof(a->sun_path) - 1)
		n = (int)sizeof(a->sun_path) - 2;
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			   (size_t)n);
}

/* The pid holding the lock, or 0 if it cannot be told. */
static long holder(const struct sockaddr_un *a, socklen_t len)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	long pid = 0;

	if (fd < 0)
		return 0;
	if (connect(fd, (const struct sockaddr *)a, len) == 0 &&
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0)
		pid = cred.pid;
	close(fd);
	return pid;
}

int target_lock_take(const char *host, unsigned port)
{
	struct sockaddr_un a;
	socklen_t len = lock_address(&a, host, port);
	char shown[128];
	long pid;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return out_error(PSR_ERR_SYSTEM, "cannot make a lock socket: %s",
				 strerror(errno));
	if (bind(fd, (struct sockaddr *)&a, len) == 0 && listen(fd, 4) == 0)
		return fd;
	close(fd);
	out_printable(host, shown, sizeof(shown));
	pid = holder(&a, len);
	if (pid > 0)
		return out_error(PSR_ERR_CONNECT,
				 "OpenOCD at %s:%u is in use by another "
				 "psramctl (pid %ld): wait for it to finish",
				 shown, port, pid);
	return out_error(PSR_ERR_CONNECT,
			 "OpenOCD at %s:%u is in use by another psramctl: wait "
			 "for it to finish",
			 shown, port);
}

void target_lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
