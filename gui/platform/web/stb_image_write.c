/* The implementation of stb_image_write (Debian's libstb-dev header), which the desktop links
   from Debian's libstb: the GUI's screenshots are PNGs written with it. */
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
