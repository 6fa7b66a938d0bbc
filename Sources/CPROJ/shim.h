#ifndef TANSO_CPROJ_SHIM_H
#define TANSO_CPROJ_SHIM_H
#include <proj.h>
#include <geodesic.h>
#endif
