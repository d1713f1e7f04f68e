#include "util/stats.h"

struct sim_stats sim_stats;
