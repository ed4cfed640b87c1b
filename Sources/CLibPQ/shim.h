#ifndef LONGHAUL_CLIBPQ_SHIM_H
#define LONGHAUL_CLIBPQ_SHIM_H
// The one header Swift sees for libpq; pkg-config supplies the include path, so none is hard-coded.
#include <libpq-fe.h>
#endif
