#include "periph/flash_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "periph/flash_ctrl.h"
#include "util/log.h"

struct flash_image {
	char *path;
	int fd;
	struct flash_ctrl *fc;
	bool write_failed;
};

static int write_all(int fd, const uint8_t *data, uint32_t offset,
		     uint32_t len)
{
	while (len) {
		ssize_t n = pwrite(fd, data, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		offset += (uint32_t)n;
		len -= (uint32_t)n;
	}
	return 0;
}

static int read_all(int fd, uint8_t *data, uint32_t len)
{
	uint32_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, data + done, len - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (uint32_t)n;
	}
	return 0;
}

static void on_change(void *ctx, uint32_t offset, uint32_t len)
{
	struct flash_image *img = ctx;
	const uint8_t *contents = flash_ctrl_contents(img->fc);

	if (write_all(img->fd, contents + offset, offset, len) == 0)
		return;
	if (!img->write_failed)
		sim_log(LOG_INFO, "--flash-image '%s': cannot write: %s",
			img->path, strerror(errno));
	img->write_failed = true;
}

struct flash_image *flash_image_open(const char *path, struct flash_ctrl *fc,
				     bool *loaded, char *err, size_t errlen)
{
	uint32_t size = flash_ctrl_size(fc);
	struct flash_image *img;
	struct stat st;
	uint8_t *buf;

	*loaded = false;
	img = calloc(1, sizeof(*img));
	if (!img || !(img->path = strdup(path))) {
		free(img);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	img->fc = fc;
	img->fd = open(path, O_RDWR | O_CREAT, 0644);
	if (img->fd < 0 || fstat(img->fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		goto fail;
	}
	if (st.st_size == 0) {
		/* New: the board's flash as it comes. */
		if (write_all(img->fd, flash_ctrl_contents(fc), 0, size) != 0) {
			snprintf(err, errlen, "cannot write: %s",
				 strerror(errno));
			goto fail;
		}
	} else if ((uint64_t)st.st_size != size) {
		snprintf(err, errlen,
			 "holds %lld bytes, but this board's flash has %u",
			 (long long)st.st_size, (unsigned)size);
		goto fail;
	} else {
		buf = malloc(size);
		if (!buf || read_all(img->fd, buf, size) != 0) {
			snprintf(err, errlen, "cannot read: %s",
				 buf ? strerror(errno) : "out of memory");
			free(buf);
			goto fail;
		}
		flash_ctrl_load(fc, buf, size);
		free(buf);
		*loaded = true;
	}
	flash_ctrl_on_change(fc, on_change, img);
	return img;
fail:
	if (img->fd >= 0)
		close(img->fd);
	free(img->path);
	free(img);
	return NULL;
}

int flash_image_close(struct flash_image *img)
{
	int r = 0;

	if (!img)
		return 0;
	flash_ctrl_on_change(img->fc, NULL, NULL);
	if (write_all(img->fd, flash_ctrl_contents(img->fc), 0,
		      flash_ctrl_size(img->fc)) != 0 ||
	    fsync(img->fd) != 0 || img->write_failed) {
		fprintf(stderr, "psramsim: --flash-image '%s': cannot write: %s\n",
			img->path, strerror(errno));
		r = -1;
	}
	close(img->fd);
	free(img->path);
	free(img);
	return r;
}
