/* Error names and the always-on assertion. */
#include <stdlib.h>

#include "omnitwin/common.h"
#include "fatal.h"

const char *ot_err_str(ot_err err)
{
    switch (err) {
    case OT_OK: return "ok";
    case OT_ERR_NOMEM: return "out of memory";
    case OT_ERR_INPUT: return "bad input";
    case OT_ERR_IO: return "input/output error";
    case OT_ERR_NOT_FOUND: return "not found";
    case OT_ERR_SOLVER: return "LP solver failed";
    case OT_ERR_SERVICE: return "service unreachable";
    case OT_ERR_INTERNAL: return "internal error";
    case OT_ERR_INFEASIBLE: return "model infeasible";
    case OT_ERR_LIMIT: return "size limit exceeded";
    case OT_ERR_USAGE: return "bad usage";
    }
    return "unknown error";
}

void ot_assert_fail(const char *expr, const char *file, int line)
{
    ot_fatal_write("omnitwin: assertion failed: ", expr, file, line);
    abort();
}
