#include "util/files.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "report/output.h"

const char *file_kind(unsigned mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "a regular file";
}

int file_read_regular(const char *path, size_t max, uint8_t **data,
		      size_t *len, struct strbuf *why)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	/* O_NONBLOCK: a FIFO opens at once instead of waiting for a
	 * writer; fstat then refuses it before any read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		sb_addf(why, "cannot open it: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		sb_addf(why, "cannot read it: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		sb_addf(why, "it is %s, not a regular file",
			file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		sb_addf(why, "%lld bytes is larger than the %zu allowed",
			(long long)st.st_size, max);
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	buf = psr_malloc((size_t)st.st_size + 1);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sb_addf(why, "cannot read it: %s",
				n < 0 ? strerror(errno) : "the file shrank");
			free(buf);
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = done;
	return 0;
}

int file_check_output(const char *option, const char *path)
{
	char shown[200], *copy, *dir;
	struct stat st;
	int r = 0;

	if (!path)
		return 0;
	out_printable(path, shown, sizeof(shown));
	if (!*path)
		return out_error(PSR_ERR_USAGE, "%s needs a file name", option);
	if (stat(path, &st) == 0) {
		/* A regular file is replaced; a character device (/dev/null,
		 * /dev/stdout) written as it is. */
		if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
			return out_error(PSR_ERR_USAGE,
					 "cannot write %s '%s': it is %s",
					 option, shown, file_kind(st.st_mode));
		if (access(path, W_OK) != 0)
			return out_error(PSR_ERR_USAGE,
					 "cannot write %s '%s': %s", option,
					 shown, strerror(errno));
		return 0;
	}
	/* ENOTDIR: a part of the folder is a file; said below. */
	if (errno != ENOENT && errno != ENOTDIR)
		return out_error(PSR_ERR_USAGE, "cannot write %s '%s': %s",
				 option, shown, strerror(errno));
	if (path[strlen(path) - 1] == '/')
		return out_error(PSR_ERR_USAGE,
				 "cannot write %s '%s': no such directory",
				 option, shown);
	copy = psr_strdup(path);
	dir = dirname(copy);
	if (stat(dir, &st) != 0)
		r = out_error(PSR_ERR_USAGE,
			      "cannot write %s '%s': folder '%s' %s", option,
			      shown, dir,
			      errno == ENOENT ? "does not exist"
					      : strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		r = out_error(PSR_ERR_USAGE,
			      "cannot write %s '%s': '%s' is not a folder",
			      option, shown, dir);
	else if (access(dir, W_OK | X_OK) != 0)
		r = out_error(PSR_ERR_USAGE,
			      "cannot write %s '%s': folder '%s': %s", option,
			      shown, dir, strerror(errno));
	free(copy);
	return r;
}

int file_write_output(const char *option, const char *path,
		      const void *data, size_t len)
{
	char shown[200];
	FILE *f = fopen(path, "w");
	int ok, e;

	if (!f) {
		e = errno;
	} else {
		ok = fwrite(data, 1, len, f) == len;
		e = errno;
		if (fclose(f) != 0 && ok) {
			ok = 0;
			e = errno;
		}
		if (ok)
			return 0;
	}
	return out_error(PSR_ERR_OUTPUT, "cannot write %s '%s': %s", option,
			 out_printable(path, shown, sizeof(shown)),
			 strerror(e));
}

void file_std_fds_safe(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* open returns the lowest free descriptor: this one. */
		if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			_exit(3);
	}
}

int file_flush_stdout(void)
{
	int bad = fflush(stdout) != 0 || ferror(stdout);
	int e = errno;

	if (!bad)
		return 0;
	clearerr(stdout);
	fprintf(stderr,
		"psramctl: error: cannot write the results to standard "
		"output: %s\n",
		strerror(e));
	fflush(stderr);
	return PSR_ERR_OUTPUT;
}

const char *file_tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

int file_check_tmpdir(void)
{
	const char *dir = file_tmpdir();
	struct stat st;
	char shown[200];

	out_printable(dir, shown, sizeof(shown));
	if (stat(dir, &st) != 0)
		return out_error(PSR_ERR_USAGE,
				 "TMPDIR '%s' is not usable: %s", shown,
				 strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return out_error(PSR_ERR_USAGE,
				 "TMPDIR '%s' is not usable: it is %s", shown,
				 file_kind(st.st_mode));
	if (access(dir, W_OK | X_OK) != 0)
		return out_error(PSR_ERR_USAGE,
				 "TMPDIR '%s' is not usable: %s", shown,
				 strerror(errno));
	return 0;
}
