#ifndef TANSO_CGDAL_SHIM_H
#define TANSO_CGDAL_SHIM_H
#include <gdal.h>
#include <gdal_alg.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>

/* CPLError is variadic and so unavailable from Swift: a fixed-argument wrapper. */
static inline void tanso_cpl_error(CPLErr level, CPLErrorNum code, const char *message) {
    CPLError(level, code, "%s", message);
}
#endif
