#pragma once
// The browser build's stand-in for the glad loader the desktop generates: WebGL2 is OpenGL ES
// 3.0, whose functions emscripten links directly, so there is nothing to load. The GUI's few
// direct GL calls (clear, viewport, read pixels) are all in ES 3.0.
#include <GLES3/gl3.h>

using GLADloadfunc = void (*(*)(const char*))();
inline int gladLoadGL(GLADloadfunc) { return 1; }
