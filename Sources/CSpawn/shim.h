#ifndef LONGHAUL_CSPAWN_SHIM_H
#define LONGHAUL_CSPAWN_SHIM_H
// posix_spawn's "close every descriptor from N on" (glibc 2.34+), which spawn.h declares only
// under _GNU_SOURCE/__USE_MISC and Swift's Glibc module therefore does not show. ChildProcess
// uses it so that a child inherits no descriptor but the three it is given.
#include <spawn.h>

#if defined(__linux__)
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
#endif
#endif
