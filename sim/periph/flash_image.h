/* The internal flash kept in a file across psramsim runs (--flash-image
 * FILE): the raw contents, byte i holding address 0x08000000 + i. Every
 * change the controller accepts is written through at once, so a killed
 * simulator loses nothing that was programmed, and the next run powers up
 * with it: a test can power-cycle the board. */
#ifndef SIM_FLASH_IMAGE_H
#define SIM_FLASH_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flash_ctrl;
struct flash_image;

/* Opens path for the flash of fc. An existing file must hold exactly the
 * flash size; its contents replace the flash's (*loaded set). A missing
 * file is created holding the flash as it is. Then every change is
 * written to the file. NULL with a one-line reason in err on failure. */
struct flash_image *flash_image_open(const char *path, struct flash_ctrl *fc,
				     bool *loaded, char *err, size_t errlen);

/* Writes the whole flash once more, flushes it to the disk and closes;
 * -1 (with a message on stderr) if the file could not be written. */
int flash_image_close(struct flash_image *img);

#endif
