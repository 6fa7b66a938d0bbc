// The header-only module CFastMath (include/tanso_fastmath.h); SwiftPM needs one C file to build the target.
#include "tanso_fastmath.h"
